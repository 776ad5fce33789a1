package dev.keel.runtime;

import static dev.keel.runtime.AppEnvironment.PROD;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Every environment variable Keel reads (SPEC §6), with its rule, default and hint. Validation runs
 * before any bean exists and reports every problem at once; secrets are never echoed.
 */
public final class ConfigCatalog {

	private static final Set<AppEnvironment> NONE = EnumSet.noneOf(AppEnvironment.class);

	private static final Set<AppEnvironment> IN_PROD = EnumSet.of(PROD);

	/** Shortest secret accepted outside dev: 32 characters (256 bits of HS256 key material). */
	static final int MIN_SECRET_LENGTH = 32;

	private static final List<Setting> SETTINGS = List.of(
			// Application
			plain("APP_ENV", "keel.env", "dev", Rules.oneOf("dev", "staging", "prod"), "dev, staging or prod"),
			plain("PORT", "server.port", "8080", Rules.integer(0, 65535), "the HTTP port, e.g. 8080"),
			plain("APP_VERSION", "keel.version", null, Rules.text(), "the release version, set by CI; defaults to the build's version"),
			plain("BASE_URL", "keel.base-url", "http://localhost:8080", Rules.url("http", "https"), "the public URL, e.g. https://keel.example.com"),
			plain("LOG_LEVEL", "logging.level.root", "info", Rules.logLevel(), "trace, debug, info, warn or error"),
			plain("LOG_FORMAT", "keel.observability.log-format", null, Rules.oneOf("json", "text"), "json (default in staging/prod) or text (default in dev)"),
			plain("SHUTDOWN_TIMEOUT", "spring.lifecycle.timeout-per-shutdown-phase", "30s", Rules.duration("s", 1_000, 600_000), "how long in-flight work may finish on SIGTERM, e.g. 30s"),
			plain("CORS_ORIGINS", "keel.web.cors-origins", null, Rules.origins(), "comma-separated origins, e.g. https://app.example.com; * only in dev"),
			plain("BODY_LIMIT", "keel.web.body-limit", "10mb", Rules.size(1024, 1024L * 1024 * 1024), "largest request body, e.g. 10mb"),
			plain("REQUEST_TIMEOUT", "keel.web.request-timeout", "30000", Rules.duration("ms", 100, 600_000), "request time limit, e.g. 30s (bare number: ms)"),
			// Database
			new Setting("DATABASE_URL", "keel.database.url", null, Rules.postgresUrl(), true, IN_PROD, "postgres://user:password@host:5432/db; unset in dev = embedded PostgreSQL"),
			new Setting("DATABASE_MIGRATION_URL", "keel.database.migration-url", null, Rules.postgresUrl(), true, NONE, "URL of the schema-owner role that runs migrations"),
			plain("DATABASE_POOL_MIN", "keel.database.pool-min", "2", Rules.integer(0, 500), "idle connections kept, e.g. 2"),
			plain("DATABASE_POOL_MAX", "keel.database.pool-max", "10", Rules.integer(1, 500), "largest pool size, e.g. 10"),
			plain("DATABASE_QUERY_TIMEOUT", "keel.database.query-timeout", "30000", Rules.duration("ms", 100, 3_600_000), "statement timeout, e.g. 30000 (ms)"),
			plain("DATABASE_CONNECTION_TIMEOUT", "keel.database.connection-timeout", "10000", Rules.duration("ms", 250, 300_000), "wait for a pooled connection, e.g. 10000 (ms)"),
			plain("DATABASE_MIGRATE_ON_START", "keel.database.migrate-on-start", "true", Rules.bool(), "false when a deploy job runs 'keel migrate' before the service starts"),
			plain("DATABASE_SSL_MODE", "keel.database.ssl-mode", null, Rules.oneOf("disable", "allow", "prefer", "require", "verify-ca", "verify-full"), "require or stricter in prod"),
			// Auth
			new Setting("JWT_SECRET", "keel.identity.jwt-secret", null, Rules.text(), true, IN_PROD, "at least 32 random characters, e.g. openssl rand -base64 48"),
			new Setting("JWT_PREVIOUS_SECRETS", "keel.identity.jwt-previous-secrets", null, Rules.text(), true, NONE, "comma-separated retired secrets still accepted during rotation"),
			plain("JWT_EXPIRES_IN", "keel.identity.jwt-expires-in", "15m", Rules.duration("s", 10_000, 86_400_000), "access token lifetime, e.g. 15m"),
			plain("JWT_ISSUER", "keel.identity.jwt-issuer", "keel", Rules.text(), "the iss claim Keel writes and demands, e.g. https://keel.example.com"),
			plain("JWT_AUDIENCE", "keel.identity.jwt-audience", "keel-api", Rules.text(), "the aud claim Keel writes and demands"),
			plain("REFRESH_TOKEN_TTL", "keel.identity.refresh-token-ttl", "30d", Rules.duration("s", 60_000, 365L * 86_400_000), "refresh token lifetime, e.g. 30d"),
			new Setting("SESSION_SECRET", "keel.identity.session-secret", null, Rules.text(), true, IN_PROD, "at least 32 random characters"),
			plain("SESSION_MAX_AGE", "keel.identity.session-max-age", "86400", Rules.duration("s", 60_000, 30L * 86_400_000), "console session lifetime, e.g. 86400 (s)"),
			plain("PASSWORD_HASH_COST", "keel.identity.password-hash-cost", "12", Rules.integer(4, 31), "bcrypt cost factor, 10 to 14 is typical"),
			plain("PASSWORD_MIN_LENGTH", "keel.identity.password-min-length", "12", Rules.integer(8, 128), "shortest password accepted, at least 12 recommended"),
			plain("MAX_LOGIN_ATTEMPTS", "keel.identity.max-login-attempts", "5", Rules.integer(1, 100), "failed logins before lockout"),
			plain("LOCKOUT_DURATION_MINUTES", "keel.identity.lockout-duration-minutes", "15", Rules.integer(1, 10_080), "minutes an account stays locked"),
			// Limits
			plain("RATE_LIMIT_WINDOW", "keel.web.rate-limit-window", "15", Rules.duration("m", 1_000, 86_400_000), "window of the general limit, e.g. 15 (minutes)"),
			plain("RATE_LIMIT_MAX_REQUESTS", "keel.web.rate-limit-max-requests", "100", Rules.integer(1, 10_000_000), "requests per client IP per window"),
			plain("AUTH_RATE_LIMIT_MAX", "keel.web.auth-rate-limit-max", "5", Rules.integer(1, 100_000), "login attempts per IP and per account per 15 min"),
			plain("TENANT_RATE_LIMIT_MAX", "keel.web.tenant-rate-limit-max", "1000", Rules.integer(1, 100_000_000), "requests per tenant per window"),
			plain("RATE_LIMIT_BACKEND", "keel.web.rate-limit-backend", "memory", Rules.oneOf("memory", "postgres"), "memory (one instance) or postgres (limits shared by every instance)"),
			// Storage
			plain("STORAGE_BACKEND", "keel.storage.backend", "filesystem", Rules.oneOf("filesystem", "s3"), "filesystem or s3"),
			plain("STORAGE_PATH", "keel.storage.path", "./.keel/storage", Rules.text(), "directory of the filesystem store"),
			plain("S3_ENDPOINT", "keel.storage.s3-endpoint", null, Rules.url("http", "https"), "S3-compatible endpoint URL; empty for AWS"),
			plain("S3_REGION", "keel.storage.s3-region", "us-east-1", Rules.text(), "e.g. eu-west-1"),
			plain("S3_BUCKET", "keel.storage.s3-bucket", null, Rules.text(), "bucket name, required with STORAGE_BACKEND=s3"),
			new Setting("S3_ACCESS_KEY", "keel.storage.s3-access-key", null, Rules.text(), true, NONE, "access key id"),
			new Setting("S3_SECRET_KEY", "keel.storage.s3-secret-key", null, Rules.text(), true, NONE, "secret access key"),
			plain("S3_PATH_STYLE", "keel.storage.s3-path-style", "true", Rules.bool(), "path-style URLs (endpoint/bucket/key) for S3_ENDPOINT; false for virtual-hosted buckets"),
			plain("S3_PART_SIZE_MB", "keel.storage.s3-part-size-mb", "8", Rules.integer(5, 512), "multipart part size; each running upload buffers one part in memory"),
			plain("MAX_UPLOAD_SIZE_MB", "keel.files.max-upload-size-mb", "25", Rules.integer(1, 10_240), "largest upload in MB"),
			new Setting("SIGNED_URL_SECRET", "keel.files.signed-url-secret", null, Rules.text(), true, IN_PROD, "at least 32 random characters"),
			plain("SIGNED_URL_MAX_TTL", "keel.files.signed-url-max-ttl", "7d", Rules.duration("s", 60_000, 30L * 86_400_000), "longest lifetime of a signed file link, e.g. 7d"),
			plain("FILES_TENANT_QUOTA_MB", "keel.files.tenant-quota-mb", "0", Rules.integer(0, 100_000_000), "storage each tenant may use in MB; 0 = unlimited"),
			// Scanning
			plain("VIRUS_SCAN_ENABLED", "keel.files.virus-scan-enabled", null, Rules.bool(), "true to scan uploads with clamd"),
			plain("FEATURE_VIRUS_SCAN", "keel.features.virus-scan", "false", Rules.bool(), "true to scan uploads with clamd"),
			plain("CLAMD_HOST", "keel.files.clamd-host", "localhost", Rules.text(), "clamd host"),
			plain("CLAMD_PORT", "keel.files.clamd-port", "3310", Rules.integer(1, 65535), "clamd TCP port"),
			plain("CLAMD_TIMEOUT", "keel.files.clamd-timeout", "30000", Rules.duration("ms", 100, 600_000), "scan time limit, e.g. 30000 (ms)"),
			// Email and alerts
			plain("SMTP_HOST", "keel.notify.smtp-host", null, Rules.text(), "SMTP host; unset = emails are logged"),
			plain("SMTP_PORT", "keel.notify.smtp-port", "587", Rules.integer(1, 65535), "SMTP port"),
			plain("SMTP_USER", "keel.notify.smtp-user", null, Rules.text(), "SMTP user"),
			new Setting("SMTP_PASSWORD", "keel.notify.smtp-password", null, Rules.text(), true, NONE, "SMTP password"),
			plain("EMAIL_FROM_ADDRESS", "keel.notify.from-address", "noreply@keel.local", Rules.email(), "sender address"),
			plain("EMAIL_FROM_NAME", "keel.notify.from-name", "Keel", Rules.text(), "sender name"),
			plain("ALERT_EMAIL_TO", "keel.notify.alert-email-to", null, Rules.emails(), "comma-separated alert recipients"),
			new Setting("ALERT_SLACK_WEBHOOK_URL", "keel.notify.alert-slack-webhook-url", null, Rules.url("https", "http"), true, NONE, "Slack-compatible incoming webhook URL"),
			plain("ALERT_WEBHOOK_URL", "keel.notify.alert-webhook-url", null, Rules.url("https", "http"), "generic alert webhook URL"),
			new Setting("ALERT_WEBHOOK_TOKEN", "keel.notify.alert-webhook-token", null, Rules.text(), true, NONE, "bearer token for the alert webhook"),
			// Jobs
			plain("JOB_MONITOR_INTERVAL", "keel.jobs.monitor-interval", "30", Rules.duration("s", 1_000, 3_600_000), "queue monitor interval, e.g. 30 (s)"),
			plain("JOB_ARCHIVE_AFTER_DAYS", "keel.jobs.archive-after-days", "7", Rules.integer(1, 3650), "days before completed jobs are archived"),
			plain("JOB_DELETE_AFTER_DAYS", "keel.jobs.delete-after-days", "30", Rules.integer(1, 3650), "days before archived jobs are deleted"),
			plain("JOBS_ENABLED", "keel.jobs.enabled", "true", Rules.bool(), "false for a web-only instance"),
			// Backup
			plain("BACKUP_ENABLED", "keel.backup.enabled", "true", Rules.bool(), "false disables scheduled backups"),
			plain("BACKUP_SCHEDULE", "keel.backup.schedule", "0 2 * * *", Rules.cron(), "cron of the daily full backup, e.g. 0 2 * * *"),
			plain("BACKUP_RETENTION_DAYS", "keel.backup.retention-days", "35", Rules.integer(1, 3650), "days a backup is kept"),
			plain("BACKUP_PG_DUMP_PATH", "keel.backup.pg-dump-path", null, Rules.text(), "path of a pg_dump matching the server's major version"),
			plain("BACKUP_KEEP_MONTHLY", "keel.backup.keep-monthly", "false", Rules.bool(), "true keeps the first full backup of each month past the retention"),
			// Cache
			new Setting("REDIS_URL", "keel.cache.redis-url", null, Rules.url("redis", "rediss"), true, NONE, "redis://host:6379; unset = in-memory cache"),
			plain("CACHE_TTL", "keel.cache.ttl", "300", Rules.duration("s", 1_000, 30L * 86_400_000), "default cache entry lifetime, e.g. 300 (s)"),
			// Ops
			new Setting("METRICS_TOKEN", "keel.observability.metrics-token", null, Rules.text(), true, NONE, "bearer token Prometheus uses to scrape /metrics"),
			new Setting("DEPLOY_TOKEN", "keel.releases.deploy-token", null, Rules.text(), true, NONE, "bearer token CI uses to post deployment records"),
			plain("AUDIT_RETENTION_DAYS", "keel.audit.retention-days", "365", Rules.integer(30, 36_500), "days audit records stay in the live table before the audit-cleanup job archives them (never deleted)"),
			plain("LOG_RETENTION_DAYS", "keel.observability.log-retention-days", "7", Rules.integer(1, 3650), "days stored logs are kept"),
			// First start
			plain("BOOTSTRAP_ADMIN_EMAIL", "keel.identity.bootstrap-admin-email", "admin@keel.local", Rules.email(), "email of the first platform admin"),
			new Setting("BOOTSTRAP_ADMIN_PASSWORD", "keel.identity.bootstrap-admin-password", null, Rules.text(), true, NONE, "password of the first platform admin; unset = generated and printed once"),
			plain("TENANT_PURGE_GRACE_DAYS", "keel.tenancy.purge-grace-days", "30", Rules.integer(0, 3650), "days a deleted tenant's data is kept before the purge"),
			plain("BOOTSTRAP_DEMO_TENANT", "keel.tenancy.bootstrap-demo-tenant", null, Rules.bool(), "true creates a demo tenant on first start (default in dev)"),
			// Feature flags
			plain("FEATURE_IMAGE_OPTIMIZATION", "keel.features.image-optimization", "true", Rules.bool(), "true or false"),
			plain("FEATURE_BACKUP_VERIFICATION", "keel.features.backup-verification", "true", Rules.bool(), "true or false"),
			plain("FEATURE_JOB_MONITORING_UI", "keel.features.job-monitoring-ui", "true", Rules.bool(), "true or false"),
			plain("FEATURE_LOG_VIEWER", "keel.features.log-viewer", "true", Rules.bool(), "true or false"),
			plain("FEATURE_CACHE_WARMING", "keel.features.cache-warming", "false", Rules.bool(), "true or false"));

	private ConfigCatalog() {
	}

	public static List<Setting> settings() {
		return SETTINGS;
	}

	/**
	 * Reads every setting through {@code lookup} (environment variables, system properties, test
	 * properties), resolving {@code NAME_FILE} for secrets, and checks each rule and the cross rules.
	 */
	public static ConfigReport validate(Function<String, String> lookup) {
		List<ConfigProblem> problems = new ArrayList<>();
		Map<String, String> raw = new LinkedHashMap<>();
		java.util.Set<String> failed = new java.util.HashSet<>();
		for (Setting s : SETTINGS) {
			String value = blankToNull(lookup.apply(s.env()));
			String file = blankToNull(lookup.apply(s.env() + "_FILE"));
			if (file != null) {
				if (value != null) {
					problems.add(new ConfigProblem(s.env(), "single-source", "is set both directly and through " + s.env() + "_FILE", "set only one of them"));
					failed.add(s.env());
					continue;
				}
				try {
					value = blankToNull(Files.readString(Path.of(file), StandardCharsets.UTF_8).strip());
				}
				catch (IOException | RuntimeException ex) {
					problems.add(new ConfigProblem(s.env() + "_FILE", "readable-file", "cannot read the file it names", "mount the secret file and check its permissions"));
					failed.add(s.env());
					continue;
				}
			}
			if (value != null) {
				raw.put(s.env(), value);
			}
		}
		AppEnvironment env = AppEnvironment.parse(raw.getOrDefault("APP_ENV", "dev")).orElse(null);
		Map<String, String> properties = new LinkedHashMap<>();
		for (Setting s : SETTINGS) {
			String value = raw.get(s.env());
			if (value == null) {
				if (env != null && s.requiredIn().contains(env) && !failed.contains(s.env())) {
					problems.add(new ConfigProblem(s.env(), "required", "is required when APP_ENV=" + env.id(), s.hint()));
				}
				if (s.defaultValue() != null) {
					properties.put(s.property(), s.rule().apply(s.defaultValue()));
				}
				continue;
			}
			try {
				properties.put(s.property(), s.rule().apply(value));
			}
			catch (IllegalArgumentException ex) {
				problems.add(new ConfigProblem(s.env(), "format", ex.getMessage(), s.hint()));
				failed.add(s.env());
			}
		}
		if (env != null) {
			Map<String, String> valid = new LinkedHashMap<>(raw);
			valid.keySet().removeAll(failed);
			crossRules(env, valid, problems);
		}
		return new ConfigReport(env, properties, problems);
	}

	private static void crossRules(AppEnvironment env, Map<String, String> raw, List<ConfigProblem> problems) {
		if (env != AppEnvironment.DEV) {
			for (String secret : List.of("JWT_SECRET", "SESSION_SECRET", "SIGNED_URL_SECRET")) {
				String value = raw.get(secret);
				if (value != null) {
					weakSecret(value).ifPresent((why) -> problems.add(new ConfigProblem(secret, "strong-secret", why,
							"generate one with: openssl rand -base64 48")));
				}
			}
			String jwt = raw.get("JWT_SECRET");
			if (jwt != null && jwt.equals(raw.get("SESSION_SECRET"))) {
				problems.add(new ConfigProblem("SESSION_SECRET", "distinct-secret", "must differ from JWT_SECRET", "use a separate random value"));
			}
		}
		if (env == PROD) {
			String ssl = raw.getOrDefault("DATABASE_SSL_MODE", "");
			String url = raw.getOrDefault("DATABASE_URL", "");
			boolean urlRequiresSsl = url.matches("(?i).*[?&]sslmode=(require|verify-ca|verify-full).*");
			if (!(ssl.equalsIgnoreCase("require") || ssl.equalsIgnoreCase("verify-ca") || ssl.equalsIgnoreCase("verify-full") || (ssl.isEmpty() && urlRequiresSsl))) {
				problems.add(new ConfigProblem("DATABASE_SSL_MODE", "tls-in-prod", "must be require, verify-ca or verify-full when APP_ENV=prod", "set DATABASE_SSL_MODE=verify-full"));
			}
			String cors = raw.get("CORS_ORIGINS");
			if (cors == null) {
				problems.add(new ConfigProblem("CORS_ORIGINS", "required", "is required when APP_ENV=prod", "list the allowed origins explicitly"));
			}
			else if (cors.contains("*")) {
				problems.add(new ConfigProblem("CORS_ORIGINS", "no-wildcard", "must not contain * when APP_ENV=prod", "list the allowed origins explicitly"));
			}
		}
		else if (env == AppEnvironment.STAGING && raw.getOrDefault("CORS_ORIGINS", "").contains("*")) {
			problems.add(new ConfigProblem("CORS_ORIGINS", "no-wildcard", "must not contain * outside dev", "list the allowed origins explicitly"));
		}
		long poolMin = parseOr(raw.get("DATABASE_POOL_MIN"), 2);
		long poolMax = parseOr(raw.get("DATABASE_POOL_MAX"), 10);
		if (poolMin > poolMax) {
			problems.add(new ConfigProblem("DATABASE_POOL_MIN", "range", "must not exceed DATABASE_POOL_MAX (" + poolMax + ")", "lower DATABASE_POOL_MIN or raise DATABASE_POOL_MAX"));
		}
		if (parseOr(raw.get("JOB_DELETE_AFTER_DAYS"), 30) < parseOr(raw.get("JOB_ARCHIVE_AFTER_DAYS"), 7)) {
			problems.add(new ConfigProblem("JOB_DELETE_AFTER_DAYS", "range", "must not be shorter than JOB_ARCHIVE_AFTER_DAYS", "jobs are archived first, then deleted"));
		}
		if ("s3".equalsIgnoreCase(raw.get("STORAGE_BACKEND")) && raw.get("S3_BUCKET") == null) {
			problems.add(new ConfigProblem("S3_BUCKET", "required", "is required when STORAGE_BACKEND=s3", "name the bucket"));
		}
		if ((raw.get("S3_ACCESS_KEY") == null) != (raw.get("S3_SECRET_KEY") == null)) {
			String missing = (raw.get("S3_ACCESS_KEY") == null) ? "S3_ACCESS_KEY" : "S3_SECRET_KEY";
			problems.add(new ConfigProblem(missing, "requires", "must be set together with " + ((raw.get("S3_ACCESS_KEY") == null) ? "S3_SECRET_KEY" : "S3_ACCESS_KEY"),
					"set both, or neither to use the AWS default credential chain"));
		}
		if (raw.get("DATABASE_MIGRATION_URL") != null && raw.get("DATABASE_URL") == null) {
			problems.add(new ConfigProblem("DATABASE_MIGRATION_URL", "requires", "is set but DATABASE_URL is not", "set DATABASE_URL for the application role too, or unset both for the embedded database"));
		}
	}

	/** Why a secret is too weak for staging/prod, if it is. */
	static java.util.Optional<String> weakSecret(String value) {
		if (value.length() < MIN_SECRET_LENGTH) {
			return java.util.Optional.of("must be at least " + MIN_SECRET_LENGTH + " characters (it has " + value.length() + ")");
		}
		if (value.chars().distinct().count() < 10) {
			return java.util.Optional.of("has too little variety to be random (fewer than 10 distinct characters)");
		}
		String lower = value.toLowerCase(java.util.Locale.ROOT);
		for (String marker : List.of("changeme", "change-me", "secret", "password", "example", "dev-only")) {
			if (lower.contains(marker)) {
				return java.util.Optional.of("looks like a placeholder (contains '" + marker + "')");
			}
		}
		return java.util.Optional.empty();
	}

	private static long parseOr(String value, long fallback) {
		try {
			return (value != null) ? Long.parseLong(value.trim()) : fallback;
		}
		catch (NumberFormatException ex) {
			return fallback;
		}
	}

	private static String blankToNull(String value) {
		return (value == null || value.isBlank()) ? null : value;
	}

	private static Setting plain(String env, String property, String defaultValue, Setting.Rule rule, String hint) {
		return new Setting(env, property, defaultValue, rule, false, NONE, hint);
	}

}
