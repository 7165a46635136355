/**
 * What every module shares: the settings, the database and the error format of the API.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Platform", type = org.springframework.modulith.ApplicationModule.Type.OPEN)
package dev.forgeline.platform;
