package dev.keel.database;

import java.time.Clock;
import java.util.Map;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.api.output.MigrateResult;

import dev.keel.runtime.BootstrapPhases;
import dev.keel.runtime.StartupFacts;

import dev.keel.shared.ClockConfiguration;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;

/**
 * The database beans. Used by the service and, alone, by CLI commands such as {@code keel migrate}.
 * Migrations run before the pool is handed to anyone, so every subsystem starts on the current schema.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(DatabaseProperties.class)
@Import(ClockConfiguration.class)
public class DatabaseConfiguration {

	@Bean
	DatabaseEndpoints databaseEndpoints(DatabaseProperties properties) {
		return DatabaseEndpoints.resolve(properties);
	}

	@Bean
	@Primary
	HikariDataSource dataSource(DatabaseEndpoints endpoints, DatabaseProperties properties) {
		HikariConfig config = new HikariConfig();
		config.setPoolName("keel");
		config.setJdbcUrl(endpoints.app().jdbcUrl());
		config.setUsername(endpoints.app().user());
		config.setPassword(endpoints.app().password());
		config.setMinimumIdle(properties.poolMin());
		config.setMaximumPoolSize(properties.poolMax());
		config.setConnectionTimeout(properties.connectionTimeout().toMillis());
		config.setValidationTimeout(Math.min(2_000, properties.connectionTimeout().toMillis() - 1));
		config.setKeepaliveTime(30_000);
		// Fail fast on a lost server instead of hanging on a dead socket; the statement timeout bounds every query.
		config.addDataSourceProperty("connectTimeout", "5");
		config.addDataSourceProperty("socketTimeout", Long.toString(properties.queryTimeout().toSeconds() + 15));
		config.addDataSourceProperty("tcpKeepAlive", "true");
		config.addDataSourceProperty("options", "-c statement_timeout=" + properties.queryTimeout().toMillis());
		config.addDataSourceProperty("ApplicationName", "keel");
		config.setInitializationFailTimeout(-1);
		return new HikariDataSource(config);
	}

	@Bean
	Migrations migrations(DatabaseEndpoints endpoints, DataSource dataSource, Clock clock, DatabaseProperties properties,
			@Value("${keel.cli:false}") boolean cli) {
		Migrations migrations = new Migrations(endpoints, dataSource, clock);
		if (cli) {
			return migrations;
		}
		if (properties.migrateOnStart()) {
			MigrateResult result = migrations.migrate();
			BootstrapPhases.log(3, "migrations", result.migrationsExecuted + " applied, schema at version "
					+ ((result.targetSchemaVersion != null) ? result.targetSchemaVersion
						: (result.initialSchemaVersion != null) ? result.initialSchemaVersion : "none")
					+ " (as role " + endpoints.owner().user() + ")");
		}
		else {
			BootstrapPhases.log(3, "migrations", "skipped at start-up (DATABASE_MIGRATE_ON_START=false); "
					+ migrations.pending() + " pending");
		}
		return migrations;
	}

	@Bean
	StartupFacts databaseFacts(DatabaseEndpoints endpoints) {
		return () -> Map.of("database", endpoints.mode());
	}

}
