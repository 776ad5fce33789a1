package dev.keel.database;

import dev.keel.runtime.BootstrapPhases;

/**
 * Where Keel connects: the application role and the schema owner, embedded or external.
 *
 * @param embedded whether this is the embedded server
 * @param app the application role ({@code NOBYPASSRLS}, owns nothing)
 * @param owner the schema owner that runs migrations (the same as {@code app} when no separate URL is given)
 */
public record DatabaseEndpoints(boolean embedded, ConnectionSettings app, ConnectionSettings owner) {

	static DatabaseEndpoints resolve(DatabaseProperties properties) {
		if (properties.embedded()) {
			EmbeddedDatabase db = EmbeddedDatabase.start(properties.embeddedDir(), properties.embeddedClean());
			BootstrapPhases.log(2, "database", "embedded PostgreSQL on port " + db.port() + ", data in "
					+ properties.embeddedDir() + " (started in " + db.startMillis() + " ms)");
			return new DatabaseEndpoints(true, db.app(), db.owner());
		}
		ConnectionSettings app = ConnectionSettings.parse(properties.url(), properties.sslMode());
		ConnectionSettings owner = (properties.migrationUrl() != null && !properties.migrationUrl().isBlank())
				? ConnectionSettings.parse(properties.migrationUrl(), properties.sslMode()) : app;
		BootstrapPhases.log(2, "database", "external PostgreSQL " + app.jdbcUrl().replaceAll("\\?.*", "") + " as role "
				+ app.user() + ((owner == app) ? " (no separate migration role)" : ", migrations as " + owner.user()));
		return new DatabaseEndpoints(false, app, owner);
	}

	public boolean separateOwner() {
		return !this.owner.equals(this.app);
	}

	public String mode() {
		return this.embedded ? "embedded" : "external";
	}

}
