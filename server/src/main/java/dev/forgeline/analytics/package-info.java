/**
 * Engineering metrics computed from forge activity: pull request cycle time, daily metrics per person, DORA,
 * the delivery reliability score, alerts and weekly snapshots. Facts are kept up to date as events are
 * recorded; reads touch precomputed daily rows.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Analytics")
package dev.forgeline.analytics;
