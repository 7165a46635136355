/**
 * What happened on the forges, in one model whatever the forge: repositories, commits and pushes, pull and
 * merge requests with every state change, reviews, comments, issues, pipelines, deployments, releases.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Activity")
package dev.forgeline.activity;
