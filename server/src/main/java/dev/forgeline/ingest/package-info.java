/**
 * Forge events in: connections to GitHub, GitLab and Gitea/Forgejo, webhook deliveries verified and stored
 * durably before they are acknowledged, then normalised into the activity model by high-priority jobs.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Ingest")
package dev.forgeline.ingest;
