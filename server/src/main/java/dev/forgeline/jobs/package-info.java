/**
 * Durable, prioritised, retried jobs on the same database: the queue every module's work runs on,
 * with a dead-letter table an admin can resurrect from, and recurring jobs switched by configuration.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Jobs")
package dev.forgeline.jobs;
