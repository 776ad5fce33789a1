/**
 * The database: the embedded PostgreSQL 17 when {@code DATABASE_URL} is unset (data under
 * {@code ./.keel/}), the owner and application roles, the application connection pool, and Flyway
 * migrations run as the owner role ({@code keel migrate}). Depends on {@code runtime}.
 */
@org.springframework.modulith.ApplicationModule(allowedDependencies = { "runtime", "shared" })
package dev.keel.database;
