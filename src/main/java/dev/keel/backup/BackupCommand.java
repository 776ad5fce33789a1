package dev.keel.backup;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import org.springframework.boot.autoconfigure.AutoConfigurationExcludeFilter;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.context.TypeExcludeFilter;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.FilterType;

import dev.keel.runtime.CliCommand;
import dev.keel.runtime.CliInvocation;
import dev.keel.shared.KeelProblemException;
import dev.keel.shared.Page;
import dev.keel.shared.ProblemType;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code keel backup create|list|verify|restore}: the same operations as {@code /admin/backups}, run
 * in the calling process (a backup or verification finishes before the command exits). The context is
 * Keel's without the web server and with job workers off, so the command never picks up queued work.
 */
abstract class BackupCommand implements CliCommand {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	/**
	 * Keel's beans, scanned like the service but without the HTTP edge (the CLI runs without a server)
	 * and without the application class, whose own scan would bring the edge back.
	 */
	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@ComponentScan(basePackages = "dev.keel", excludeFilters = {
			@ComponentScan.Filter(type = FilterType.REGEX, pattern = { "dev\\.keel\\.web\\..*", "dev\\.keel\\.KeelApplication" }),
			@ComponentScan.Filter(type = FilterType.CUSTOM, classes = { TypeExcludeFilter.class, AutoConfigurationExcludeFilter.class }) })
	@ConfigurationPropertiesScan("dev.keel")
	static class Context {

	}

	@Override
	public List<Class<?>> configurations() {
		// Workers off: a CLI process must not start claiming jobs of the running service.
		System.setProperty("keel.jobs.enabled", "false");
		return List.of(Context.class);
	}

	@Override
	public int run(CliInvocation cli) {
		try {
			return execute(cli, cli.bean(BackupManagement.class));
		}
		catch (KeelProblemException ex) {
			cli.err().println("keel " + String.join(" ", name()) + ": " + ex.getMessage()
					+ ex.errors().stream().map((e) -> " [" + e.field() + ": " + e.rule() + "]").reduce("", String::concat));
			return (ex.type().status().is4xxClientError() && ex.type() != ProblemType.NOT_FOUND) ? USAGE : FAILED;
		}
	}

	abstract int execute(CliInvocation cli, BackupManagement backups);

	static UUID id(CliInvocation cli) {
		List<String> positional = cli.args().stream().filter((a) -> !a.startsWith("--")).toList();
		if (positional.isEmpty()) {
			throw BackupManagement.invalid("id", "required", "give the backup id");
		}
		try {
			return UUID.fromString(positional.get(0));
		}
		catch (IllegalArgumentException ex) {
			throw BackupManagement.invalid("id", "uuid", "the backup id must be a UUID");
		}
	}

	static void print(CliInvocation cli, Backup b) {
		if (cli.json()) {
			cli.out().println(JSON.writeValueAsString(b));
			return;
		}
		cli.out().println(b.id() + "  " + b.type() + "  " + b.status() + ((b.tenantId() != null) ? "  tenant " + b.tenantId() : "")
				+ ((b.sizeBytes() != null) ? "  " + b.sizeBytes() + " bytes" : "") + ((b.storageKey() != null) ? "  " + b.storageKey() : "")
				+ ((b.sha256() != null) ? "  sha256 " + b.sha256() : "") + ((b.error() != null) ? "  error: " + b.error() : ""));
	}

	/** {@code keel backup create}. */
	static class Create extends BackupCommand {

		@Override
		public List<String> name() {
			return List.of("backup", "create");
		}

		@Override
		public String summary() {
			return "take a FULL (default) or TENANT backup now";
		}

		@Override
		public String help() {
			return """
					[--type FULL|TENANT] [--tenant <tenantId>] [--json]
					  Takes the backup in this process (pg_dump when a compatible one is configured or on PATH and the
					  owner role bypasses RLS, else Keel's snapshot format), stores it under backups/ and records it.
					  Exit codes: 0 completed, 1 failed, 2 usage error, 3 invalid configuration.""";
		}

		@Override
		int execute(CliInvocation cli, BackupManagement backups) {
			BackupType type = BackupType.valueOf(cli.option("type").orElse("FULL").toUpperCase(Locale.ROOT));
			UUID tenant = cli.option("tenant").map(UUID::fromString).orElse(null);
			Backup b = backups.createNow(type, tenant, "cli");
			print(cli, b);
			return b.status().usable() ? OK : FAILED;
		}

	}

	/** {@code keel backup list}. */
	static class ListBackups extends BackupCommand {

		@Override
		public List<String> name() {
			return List.of("backup", "list");
		}

		@Override
		public String summary() {
			return "list backups, newest first";
		}

		@Override
		public String help() {
			return """
					[--type FULL|INCREMENTAL|TENANT|ON_DEMAND] [--status COMPLETED|VERIFIED|FAILED|EXPIRED|IN_PROGRESS] [--limit N] [--json]
					  Exit codes: 0 listed, 2 usage error, 3 invalid configuration.""";
		}

		@Override
		int execute(CliInvocation cli, BackupManagement backups) {
			Page<Backup> page = backups.list(cli.option("type").map((t) -> BackupType.valueOf(t.toUpperCase(Locale.ROOT))).orElse(null),
					cli.option("status").map((s) -> BackupStatus.valueOf(s.toUpperCase(Locale.ROOT))).orElse(null), null, null,
					Page.limit(cli.option("limit").map(Integer::valueOf).orElse(null)));
			if (cli.json()) {
				cli.out().println(JSON.writeValueAsString(page));
			}
			else {
				page.items().forEach((b) -> print(cli, b));
			}
			return OK;
		}

	}

	/** {@code keel backup verify}. */
	static class Verify extends BackupCommand {

		@Override
		public List<String> name() {
			return List.of("backup", "verify");
		}

		@Override
		public String summary() {
			return "restore a backup into a scratch database and compare it with what was recorded";
		}

		@Override
		public String help() {
			return """
					<backupId> [--json]
					  Checks the object's SHA-256, restores it into a scratch database keel_verify_<epochSeconds>_<random>
					  (dropped afterwards) and compares every table's row count and checksum with the backup's manifest.
					  Exit codes: 0 VERIFIED, 1 verification failed or could not run (metadata.lastVerificationError),
					  2 usage error, 3 invalid configuration.""";
		}

		@Override
		int execute(CliInvocation cli, BackupManagement backups) {
			Backup b = backups.verify(id(cli));
			print(cli, b);
			// A verification that could not run keeps the status (maybe VERIFIED from before) and leaves
			// lastVerificationError, which a successful one clears.
			return (b.status() == BackupStatus.VERIFIED && !b.metadata().containsKey("lastVerificationError")) ? OK : FAILED;
		}

	}

	/** {@code keel backup restore}. */
	static class Restore extends BackupCommand {

		@Override
		public List<String> name() {
			return List.of("backup", "restore");
		}

		@Override
		public String summary() {
			return "restore a backup into a new database, or a tenant backup in place (replace) or as a new tenant (clone)";
		}

		@Override
		public String help() {
			return """
					<backupId> --confirm <backupId> --target-url <postgres-url>          (FULL / ON_DEMAND backups)
					<backupId> --confirm <tenant-slug> --mode replace|clone [--new-slug s] (TENANT backups)
					  A full restore goes only into a new, empty database that is not the live one; the backup id must be
					  typed back. A tenant restore needs the tenant's slug typed back.
					  Exit codes: 0 restored, 1 failed (nothing changed), 2 refused/usage error, 3 invalid configuration.""";
		}

		@Override
		int execute(CliInvocation cli, BackupManagement backups) {
			Map<String, Object> result = backups.restore(id(cli), new BackupManagement.RestoreRequest(cli.option("confirm").orElse(null),
					cli.option("target-url").orElse(null), cli.option("mode").orElse(null), cli.option("new-slug").orElse(null)));
			if (cli.json()) {
				cli.out().println(JSON.writeValueAsString(result));
			}
			else {
				Map<String, Object> shown = new LinkedHashMap<>(result);
				shown.remove("tables");
				cli.out().println("Restored: " + shown);
			}
			return OK;
		}

	}

}
