/**
 * The dashboard: server-rendered pages (Thymeleaf), enhanced by htmx and Chart.js served from WebJars, with one
 * live stream (server-sent events) per page. Readable without JavaScript; charts draw from the tables they enhance.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Web")
package dev.forgeline.web;
