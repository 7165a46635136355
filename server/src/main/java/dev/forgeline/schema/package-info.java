/**
 * jOOQ classes generated at build time from the Flyway migrations in db/migration. Each module queries
 * only the tables it owns; the classes are shared because the generator writes them in one place.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Schema (generated)", type = org.springframework.modulith.ApplicationModule.Type.OPEN)
package dev.forgeline.schema;
