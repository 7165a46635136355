/**
 * The audit log: who did what to which object, for every admin and security action.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Audit")
package dev.forgeline.audit;
