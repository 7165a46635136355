/**
 * Demo data: a realistic forge history (people, teams, repositories, pull requests, reviews, pipelines,
 * deployments, incidents) written as the webhook deliveries the forges send, for the demo, benchmarks and tests.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Demo")
package dev.forgeline.demo;
