package dev.keel.backup;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.stereotype.Component;

import dev.keel.database.ConnectionSettings;
import dev.keel.database.DatabaseEndpoints;
import dev.keel.database.Migrations;
import dev.keel.storage.ObjectStore;

/**
 * Restores a backup's object into a whole database — a scratch database for verification or an
 * operator's new database — and compares what arrived with what the backup recorded. Keel's format:
 * migrate the target to the backup's schema version, then {@link KeelSnapshot#restoreInto}; pg_dump's:
 * {@code pg_restore --single-transaction}.
 */
@Component
class DatabaseRestore {

	private final ObjectStore store;

	private final Migrations migrations;

	private final DatabaseEndpoints endpoints;

	private final BackupProperties properties;

	DatabaseRestore(ObjectStore store, Migrations migrations, DatabaseEndpoints endpoints, BackupProperties properties) {
		this.store = store;
		this.migrations = migrations;
		this.endpoints = endpoints;
		this.properties = properties;
	}

	/** Restores into {@code target} (an empty database); returns per-table restored row counts. */
	Map<String, Long> restore(Backup b, ConnectionSettings target) throws Exception {
		if (PgDumpTool.FORMAT.equals(b.format())) {
			PgDumpTool tool = pgRestoreTool(target);
			Path file = Files.createTempFile("keel-restore", ".dump");
			try {
				try (ChecksummedInput in = new ChecksummedInput(this.store.get(b.storageKey()))) {
					Files.copy(in, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
					in.requireSha256(b.sha256());
				}
				tool.list(file);
				tool.restore(file, target);
			}
			finally {
				Files.deleteIfExists(file);
			}
			return countRows(target);
		}
		String version = (String) b.metadata().get("schemaVersion");
		if (version == null) {
			throw new SnapshotFile.CorruptBackupException("the backup record has no schema version");
		}
		this.migrations.migrateTo(target, version);
		try (Connection c = TargetDatabases.connect(target); ChecksummedInput in = new ChecksummedInput(this.store.get(b.storageKey()));
				SnapshotFile.Reader reader = new SnapshotFile.Reader(in)) {
			Object fileVersion = reader.header().get("schemaVersion");
			if (!version.equals(fileVersion)) {
				throw new SnapshotFile.CorruptBackupException("the file's schema version " + fileVersion + " differs from the record's " + version);
			}
			return KeelSnapshot.restoreInto(c, reader, () -> in.requireSha256(b.sha256()));
		}
	}

	/**
	 * Compares a restored database with the backup's record; returns the first difference, or empty
	 * when every table matches (row counts, and checksums of a re-export for Keel's format).
	 */
	Optional<String> compare(Backup b, ConnectionSettings restored) throws Exception {
		if (PgDumpTool.FORMAT.equals(b.format())) {
			Map<String, Long> actual = countRows(restored);
			for (Map<String, Object> t : tables(b)) {
				String name = (String) t.get("name");
				long expected = ((Number) t.get("rows")).longValue();
				Long got = actual.get(name);
				if (got == null || got != expected) {
					return Optional.of("table " + name + ": " + ((got == null) ? "missing" : got + " rows") + " after restore, the backup recorded "
							+ expected);
				}
			}
			return Optional.empty();
		}
		Map<String, KeelSnapshot.TableEntry> recorded = KeelSnapshot.tables(b.metadata());
		try (Connection c = TargetDatabases.connect(restored)) {
			Map<String, KeelSnapshot.TableEntry> actual = new LinkedHashMap<>();
			KeelSnapshot.checksums(c, b.tenantId(), KeelSnapshot.ReadMode.of(b.metadata())).forEach((e) -> actual.put(e.name(), e));
			for (KeelSnapshot.TableEntry e : recorded.values()) {
				KeelSnapshot.TableEntry got = actual.get(e.name());
				if (got == null) {
					return Optional.of("table " + e.name() + " is missing after restore");
				}
				if (got.rows() != e.rows()) {
					return Optional.of("table " + e.name() + ": " + got.rows() + " rows after restore, the backup recorded " + e.rows());
				}
				if (!got.sha256().equals(e.sha256())) {
					return Optional.of("table " + e.name() + ": checksum after restore " + got.sha256() + " differs from the recorded " + e.sha256());
				}
			}
			return Optional.empty();
		}
	}

	@SuppressWarnings("unchecked")
	private static List<Map<String, Object>> tables(Backup b) {
		return (List<Map<String, Object>>) b.metadata().getOrDefault("tables", List.of());
	}

	private PgDumpTool pgRestoreTool(ConnectionSettings target) throws Exception {
		int serverMajor;
		try (Connection c = TargetDatabases.connect(target)) {
			serverMajor = c.getMetaData().getDatabaseMajorVersion();
		}
		return PgDumpTool.find(this.properties.pgDumpPath(), serverMajor)
			.orElseThrow(() -> new IllegalStateException("no pg_restore for PostgreSQL " + serverMajor + " (set BACKUP_PG_DUMP_PATH)"));
	}

	/** Rows per table (the pg_dump path runs as a role that bypasses RLS, so counts are complete). */
	private static Map<String, Long> countRows(ConnectionSettings target) throws Exception {
		Map<String, Long> counts = new LinkedHashMap<>();
		try (Connection c = TargetDatabases.connect(target); Statement s = c.createStatement()) {
			for (TableCatalog.Table t : TableCatalog.load(c)) {
				try (ResultSet rs = s.executeQuery("select count(*) from " + t.quotedName())) {
					rs.next();
					counts.put(t.name(), rs.getLong(1));
				}
			}
		}
		return counts;
	}

	DatabaseEndpoints endpoints() {
		return this.endpoints;
	}

}
