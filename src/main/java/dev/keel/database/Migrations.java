package dev.keel.database;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Flyway migrations from {@code classpath:db/migration}, applied as the schema owner. The owner's
 * default privileges grant the application role DML only; placeholder {@code app_role} names it.
 * {@link #pending()} is cached briefly because readiness probes ask for it every few seconds.
 */
public class Migrations {

	private static final Duration PENDING_CACHE = Duration.ofSeconds(5);

	private final DatabaseEndpoints endpoints;

	private final DataSource appDataSource;

	private final Clock clock;

	private volatile Instant pendingCheckedAt = Instant.MIN;

	private volatile int pendingCount = -1;

	Migrations(DatabaseEndpoints endpoints, DataSource appDataSource, Clock clock) {
		this.endpoints = endpoints;
		this.appDataSource = appDataSource;
		this.clock = clock;
	}

	private Flyway ownerFlyway() {
		ConnectionSettings owner = this.endpoints.owner();
		return configure(Flyway.configure().dataSource(owner.jdbcUrl(), owner.user(), owner.password())).load();
	}

	private org.flywaydb.core.api.configuration.FluentConfiguration configure(org.flywaydb.core.api.configuration.FluentConfiguration c) {
		return c.locations("classpath:db/migration")
			.placeholders(Map.of("app_role", quoteIdent(this.endpoints.app().user())))
			.validateMigrationNaming(true)
			.connectRetries(3);
	}

	/** Applies every pending migration as the owner role; returns how many ran. */
	public MigrateResult migrate() {
		MigrateResult result = ownerFlyway().migrate();
		this.pendingCheckedAt = Instant.MIN;
		return result;
	}

	/**
	 * Applies this build's migrations up to {@code version} to another database (a restore target or a
	 * scratch database), with the same placeholders as the live one; {@code target} connects as the role
	 * that will own the restored schema.
	 */
	public MigrateResult migrateTo(ConnectionSettings target, String version) {
		return configure(Flyway.configure().dataSource(target.jdbcUrl(), target.user(), target.password()))
			.target(version)
			.load()
			.migrate();
	}

	/** How many migrations of this build are not applied yet; -1 when the database cannot be asked. */
	public int pending() {
		Instant now = this.clock.instant();
		if (Duration.between(this.pendingCheckedAt, now).compareTo(PENDING_CACHE) < 0 && this.pendingCount >= 0) {
			return this.pendingCount;
		}
		try {
			Flyway info = configure(Flyway.configure().dataSource(this.appDataSource)).load();
			MigrationInfo[] pending = info.info().pending();
			this.pendingCount = pending.length;
		}
		catch (RuntimeException ex) {
			this.pendingCount = -1;
		}
		this.pendingCheckedAt = now;
		return this.pendingCount;
	}

	/** The schema version the database is at, or "none". */
	public String currentVersion() {
		MigrationInfo current = ownerFlyway().info().current();
		return (current != null) ? current.getVersion().getVersion() : "none";
	}

	private static String quoteIdent(String role) {
		return '"' + role.replace("\"", "\"\"") + '"';
	}

}
