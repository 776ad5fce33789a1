package dev.keel.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigCatalogTests {

	private static final String STRONG_JWT = "k3J9x!Qp7Lm2Vz8Rt5Yw1Nb6Hc4Gd0Fs-Ae";

	private static final String STRONG_SESSION = "Zq8Wm3Xr6Tn1Vb4Yp7Lk2Jh5Gf9Dc0Sa_Ue";

	private static final String STRONG_SIGNED = "Pm4Qn7Rs1Tu8Vw2Xy5Za9Bc3De6Fg0Hi+Jk";

	@Test
	void defaultsAreValidForDev() {
		ConfigReport report = ConfigCatalog.validate(Map.<String, String>of()::get);
		assertThat(report.problems()).isEmpty();
		assertThat(report.env()).isEqualTo(AppEnvironment.DEV);
		assertThat(report.properties()).containsEntry("server.port", "8080").containsEntry("keel.database.pool-max", "10");
	}

	@Test
	void reportsEveryProblemAtOnceWithVariableRuleAndHint() {
		Map<String, String> env = Map.of("PORT", "eighty", "DATABASE_POOL_MAX", "0", "LOG_LEVEL", "loud",
				"BODY_LIMIT", "10 parsecs", "JOBS_ENABLED", "maybe");
		ConfigReport report = ConfigCatalog.validate(env::get);
		assertThat(report.problems()).extracting(ConfigProblem::variable)
			.containsExactlyInAnyOrder("PORT", "DATABASE_POOL_MAX", "LOG_LEVEL", "BODY_LIMIT", "JOBS_ENABLED");
		assertThat(report.problems()).allSatisfy((p) -> {
			assertThat(p.rule()).isNotBlank();
			assertThat(p.hint()).isNotBlank();
		});
		assertThat(report.describeProblems()).contains("5 configuration problem(s)").contains("PORT must be a whole number");
	}

	@Test
	void unknownAppEnvIsAnErrorNotADefault() {
		ConfigReport report = ConfigCatalog.validate(Map.of("APP_ENV", "production")::get);
		assertThat(report.valid()).isFalse();
		assertThat(report.problems()).extracting(ConfigProblem::variable).contains("APP_ENV");
		assertThat(report.env()).isNull();
	}

	@Test
	void prodRefusesMissingSecretsDatabaseAndCors() {
		ConfigReport report = ConfigCatalog.validate(Map.of("APP_ENV", "prod")::get);
		assertThat(report.problems()).extracting(ConfigProblem::variable)
			.contains("JWT_SECRET", "SESSION_SECRET", "DATABASE_URL", "CORS_ORIGINS", "DATABASE_SSL_MODE", "SIGNED_URL_SECRET");
	}

	@Test
	void prodRefusesWeakSecretsAndWildcardCorsWithoutEchoingValues() {
		Map<String, String> env = prod();
		env.put("JWT_SECRET", "short-but-secret");
		env.put("SESSION_SECRET", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
		env.put("CORS_ORIGINS", "*");
		ConfigReport report = ConfigCatalog.validate(env::get);
		assertThat(report.problems()).extracting(ConfigProblem::variable).containsExactlyInAnyOrder("JWT_SECRET", "SESSION_SECRET", "CORS_ORIGINS");
		assertThat(report.describeProblems()).doesNotContain("short-but-secret").doesNotContain("aaaaaaaaaa");
	}

	@Test
	void prodAcceptsAStrongConfiguration() {
		ConfigReport report = ConfigCatalog.validate(prod()::get);
		assertThat(report.problems()).isEmpty();
		assertThat(report.env()).isEqualTo(AppEnvironment.PROD);
	}

	@Test
	void readsSecretsFromFiles(@TempDir Path dir) throws IOException {
		Path secret = dir.resolve("jwt");
		Files.writeString(secret, STRONG_JWT + "\n");
		Map<String, String> env = prod();
		env.remove("JWT_SECRET");
		env.put("JWT_SECRET_FILE", secret.toString());
		ConfigReport report = ConfigCatalog.validate(env::get);
		assertThat(report.problems()).isEmpty();
		assertThat(report.properties()).containsEntry("keel.identity.jwt-secret", STRONG_JWT);
	}

	@Test
	void rejectsUnreadableSecretFilesAndDoubleSources(@TempDir Path dir) {
		Map<String, String> env = prod();
		env.remove("JWT_SECRET");
		env.put("JWT_SECRET_FILE", dir.resolve("missing").toString());
		env.remove("SESSION_SECRET");
		env.put("SESSION_SECRET_FILE", dir.resolve("missing-too").toString());
		env.put("SESSION_SECRET", STRONG_SESSION);
		ConfigReport report = ConfigCatalog.validate(env::get);
		assertThat(report.problems()).extracting(ConfigProblem::rule).containsExactlyInAnyOrder("single-source", "readable-file");
	}

	@Test
	void checksCrossSettingRules() {
		ConfigReport report = ConfigCatalog.validate(Map.of("DATABASE_POOL_MIN", "20", "DATABASE_POOL_MAX", "5",
				"JOB_ARCHIVE_AFTER_DAYS", "30", "JOB_DELETE_AFTER_DAYS", "7", "STORAGE_BACKEND", "s3",
				"DATABASE_MIGRATION_URL", "postgres://owner@db/keel")::get);
		assertThat(report.problems()).extracting(ConfigProblem::variable)
			.containsExactlyInAnyOrder("DATABASE_POOL_MIN", "JOB_DELETE_AFTER_DAYS", "S3_BUCKET", "DATABASE_MIGRATION_URL");
	}

	@Test
	void s3KeysComeInPairsAndPartSizeStaysWithinS3Limits() {
		ConfigReport halfKeys = ConfigCatalog.validate(Map.of("STORAGE_BACKEND", "s3", "S3_BUCKET", "files", "S3_ACCESS_KEY", "AKIAEXAMPLE",
				"S3_PART_SIZE_MB", "4")::get);
		assertThat(halfKeys.problems()).extracting(ConfigProblem::variable, ConfigProblem::rule)
			.containsExactlyInAnyOrder(tuple("S3_SECRET_KEY", "requires"), tuple("S3_PART_SIZE_MB", "format"));
		assertThat(halfKeys.problems().toString()).doesNotContain("AKIAEXAMPLE");
		ConfigReport chain = ConfigCatalog.validate(Map.of("STORAGE_BACKEND", "s3", "S3_BUCKET", "files", "S3_PATH_STYLE", "false")::get);
		assertThat(chain.problems()).isEmpty();
		assertThat(chain.properties()).containsEntry("keel.storage.s3-path-style", "false").containsEntry("keel.storage.s3-part-size-mb", "8");
	}

	@Test
	void normalisesDurationsSizesAndLists() {
		ConfigReport report = ConfigCatalog.validate(Map.of("SHUTDOWN_TIMEOUT", "45", "RATE_LIMIT_WINDOW", "15",
				"BODY_LIMIT", "10mb", "CORS_ORIGINS", "https://a.example.com/, http://localhost:3000")::get);
		assertThat(report.properties()).containsEntry("spring.lifecycle.timeout-per-shutdown-phase", "45000ms")
			.containsEntry("keel.web.rate-limit-window", "900000ms")
			.containsEntry("keel.web.body-limit", "10485760B")
			.containsEntry("keel.web.cors-origins", "https://a.example.com,http://localhost:3000");
	}

	@Test
	void everySecretIsMarkedAndEveryEntryHasAHint() {
		assertThat(ConfigCatalog.settings()).allSatisfy((s) -> assertThat(s.hint()).isNotBlank());
		assertThat(ConfigCatalog.settings()).filteredOn(Setting::secret).extracting(Setting::env)
			.contains("JWT_SECRET", "SESSION_SECRET", "DATABASE_URL", "S3_SECRET_KEY", "SMTP_PASSWORD", "METRICS_TOKEN",
					"DEPLOY_TOKEN", "BOOTSTRAP_ADMIN_PASSWORD", "SIGNED_URL_SECRET", "ALERT_WEBHOOK_TOKEN");
	}

	static Map<String, String> prod() {
		Map<String, String> env = new HashMap<>();
		env.put("APP_ENV", "prod");
		env.put("JWT_SECRET", STRONG_JWT);
		env.put("SESSION_SECRET", STRONG_SESSION);
		env.put("SIGNED_URL_SECRET", STRONG_SIGNED);
		env.put("DATABASE_URL", "postgres://keel_app:pw@db.internal:5432/keel");
		env.put("DATABASE_SSL_MODE", "verify-full");
		env.put("CORS_ORIGINS", "https://app.example.com");
		return env;
	}

}
