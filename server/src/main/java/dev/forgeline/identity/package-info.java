/**
 * Who may do what: accounts, API tokens, and the security rules every route is checked against.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Identity")
package dev.forgeline.identity;
