package dev.keel.database;

import java.util.List;
import java.util.Map;

import org.flywaydb.core.api.output.MigrateResult;
import tools.jackson.databind.json.JsonMapper;

import dev.keel.runtime.CliCommand;
import dev.keel.runtime.CliInvocation;

/** {@code keel migrate}: applies pending migrations as the owner role and exits. */
class MigrateCommand implements CliCommand {

	@Override
	public List<String> name() {
		return List.of("migrate");
	}

	@Override
	public String summary() {
		return "apply pending database migrations (as DATABASE_MIGRATION_URL's role)";
	}

	@Override
	public String help() {
		return """
				[--json]
				  Applies every pending Flyway migration as the schema owner (DATABASE_MIGRATION_URL, else
				  DATABASE_URL, else the embedded database) and prints the resulting schema version.
				  Exit codes: 0 migrated or already current, 1 a migration failed, 3 invalid configuration.""";
	}

	@Override
	public List<Class<?>> configurations() {
		return List.of(DatabaseConfiguration.class);
	}

	@Override
	public int run(CliInvocation invocation) {
		Migrations migrations = invocation.bean(Migrations.class);
		MigrateResult result = migrations.migrate();
		String version = migrations.currentVersion();
		if (invocation.json()) {
			invocation.out().println(JsonMapper.builder().build().writeValueAsString(Map.of("success", result.success,
					"migrationsExecuted", result.migrationsExecuted, "schemaVersion", version)));
		}
		else {
			invocation.out().println("Applied " + result.migrationsExecuted + " migration(s); schema is at version " + version + ".");
		}
		return result.success ? OK : FAILED;
	}

}
