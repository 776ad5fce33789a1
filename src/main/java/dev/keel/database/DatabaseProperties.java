package dev.keel.database;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Database settings ({@code DATABASE_*}).
 *
 * @param url the application role's URL; empty = embedded PostgreSQL
 * @param migrationUrl the schema owner's URL; empty = same as {@code url}
 * @param poolMin idle connections kept
 * @param poolMax largest pool
 * @param queryTimeout statement timeout of the application role
 * @param connectionTimeout longest wait for a pooled connection
 * @param sslMode PostgreSQL {@code sslmode}, applied when the URL has none
 * @param embeddedDir data directory of the embedded server
 * @param embeddedClean wipe the embedded data directory at the first start in this JVM (tests)
 * @param migrateOnStart run pending migrations at start-up (false when a deploy job runs them)
 */
@ConfigurationProperties("keel.database")
public record DatabaseProperties(String url, String migrationUrl, @DefaultValue("2") int poolMin,
		@DefaultValue("10") int poolMax, @DefaultValue("30s") Duration queryTimeout,
		@DefaultValue("10s") Duration connectionTimeout, String sslMode,
		@DefaultValue("./.keel/postgres") String embeddedDir, @DefaultValue("false") boolean embeddedClean,
		@DefaultValue("true") boolean migrateOnStart) {

	public boolean embedded() {
		return this.url == null || this.url.isBlank();
	}

}
