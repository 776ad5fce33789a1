package dev.keel.backup;

import java.io.IOException;
import java.io.OutputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * Keel's own snapshot export and restore, used when no compatible {@code pg_dump} is at hand (the
 * embedded default). Export: one {@code REPEATABLE READ READ ONLY} transaction, {@code COPY … TO STDOUT}
 * per table in foreign-key order into a {@link SnapshotFile}. Tenant-owned tables are copied tenant by
 * tenant with that tenant bound ({@code app.tenant_id}) and in primary-key order: row-level security is
 * forced even for the owner role, so this is how a role without {@code BYPASSRLS} sees every row, and
 * the fixed order makes a re-export of the restored rows byte-identical (the verification compares
 * checksums). A tenant snapshot is the same with one tenant and only its tables plus its tenant row.
 * When the role sees every row anyway (superuser or {@code BYPASSRLS}), a full snapshot copies each
 * table whole in physical order instead ({@link ReadMode#WHOLE_TABLE}: sequential scans, as pg_dump
 * does); a restored table's physical order is the file's order, so its re-export matches as well.
 */
final class KeelSnapshot {

	static final String TENANTS = "tenants";

	private KeelSnapshot() {
	}

	/** How tenant tables are read; recorded in the header so a verification re-exports the same way. */
	enum ReadMode {

		/** Tenant by tenant with the tenant bound, in primary-key order (any role). */
		PER_TENANT,
		/** Whole tables in physical order, synchronised scans off (roles that bypass RLS only). */
		WHOLE_TABLE;

		static ReadMode of(Map<String, Object> manifest) {
			Object mode = manifest.get("readMode");
			return (mode != null) ? valueOf(mode.toString()) : PER_TENANT;
		}

	}

	/** Per-table result of an export. */
	record TableEntry(String name, long rows, String sha256) {

		Map<String, Object> toMap() {
			Map<String, Object> m = new LinkedHashMap<>();
			m.put("name", this.name);
			m.put("rows", this.rows);
			m.put("sha256", this.sha256);
			return m;
		}

	}

	/**
	 * Exports into {@code target} (not closed). {@code header} is completed with the server and schema
	 * version read inside the snapshot; returns the manifest (header plus {@code tables}).
	 */
	static Map<String, Object> export(Connection c, OutputStream target, Map<String, Object> header, UUID tenant)
			throws SQLException, IOException {
		c.setAutoCommit(false);
		c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
		c.setReadOnly(true);
		try {
			Map<String, Object> head = new LinkedHashMap<>(header);
			head.put("format", SnapshotFile.FORMAT);
			head.put("formatVersion", SnapshotFile.FORMAT_VERSION);
			head.put("serverVersion", serverVersion(c));
			head.put("schemaVersion", schemaVersion(c));
			if (tenant != null) {
				head.put("tenantId", tenant.toString());
			}
			ReadMode mode = (tenant == null && PgDumpTool.bypassesRls(c)) ? ReadMode.WHOLE_TABLE : ReadMode.PER_TENANT;
			head.put("readMode", mode.name());
			List<TableEntry> entries = exportTables(c, new SnapshotFile.Writer(target, head), tenant, mode, head);
			c.rollback();
			return manifest(head, entries);
		}
		finally {
			c.rollback();
			c.setReadOnly(false);
		}
	}

	/** Re-exports {@code c}'s rows the same way without writing anything: per-table counts and checksums. */
	static List<TableEntry> checksums(Connection c, UUID tenant, ReadMode mode) throws SQLException, IOException {
		c.setAutoCommit(false);
		c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
		try {
			return exportTables(c, new SnapshotFile.Writer(OutputStream.nullOutputStream(), Map.of()), tenant, mode, null);
		}
		finally {
			c.rollback();
		}
	}

	private static List<TableEntry> exportTables(Connection c, SnapshotFile.Writer writer, UUID tenant, ReadMode mode,
			Map<String, Object> head) throws SQLException, IOException {
		CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
		if (mode == ReadMode.WHOLE_TABLE) {
			try (Statement s = c.createStatement()) {
				// A synchronised scan may start mid-table; the re-export must see rows in file order.
				s.execute("set local synchronize_seqscans = off");
			}
		}
		List<UUID> tenants = (tenant != null) ? List.of(tenant) : tenantIds(c);
		List<TableEntry> entries = new ArrayList<>();
		for (TableCatalog.Table t : TableCatalog.load(c)) {
			boolean tenantsTable = t.name().equals(TENANTS);
			if (tenant != null && !t.tenantOwned() && !tenantsTable) {
				continue;
			}
			OutputStream out = writer.beginTable(t.name(), t.columnList());
			long rows = 0;
			if (t.tenantOwned() && mode == ReadMode.PER_TENANT) {
				for (UUID id : tenants) {
					bindTenant(c, id);
					rows += copy.copyOut("COPY (select " + t.columnList() + " from " + t.quotedName() + " where tenant_id = '" + id
							+ "'" + t.orderBy() + ") TO STDOUT", out);
				}
			}
			else if (tenantsTable && tenant != null) {
				rows = copy.copyOut("COPY (select " + t.columnList() + " from " + t.quotedName() + " where id = '" + tenant + "') TO STDOUT", out);
			}
			else {
				rows = copy.copyOut("COPY " + t.quotedName() + " (" + t.columnList() + ") TO STDOUT", out);
			}
			entries.add(new TableEntry(t.name(), rows, writer.endTable(rows)));
		}
		if (head != null) {
			writer.finish(manifest(head, entries));
		}
		return entries;
	}

	static Map<String, Object> manifest(Map<String, Object> head, List<TableEntry> entries) {
		Map<String, Object> manifest = new LinkedHashMap<>(head);
		manifest.put("tables", entries.stream().map(TableEntry::toMap).toList());
		return manifest;
	}

	/** The manifest's tables as entries. */
	@SuppressWarnings("unchecked")
	static Map<String, TableEntry> tables(Map<String, Object> manifest) {
		return ((List<Map<String, Object>>) manifest.getOrDefault("tables", List.of())).stream()
			.map((m) -> new TableEntry((String) m.get("name"), ((Number) m.get("rows")).longValue(), (String) m.get("sha256")))
			.collect(Collectors.toMap(TableEntry::name, Function.identity(), (a, b) -> a, LinkedHashMap::new));
	}

	/**
	 * Restores a snapshot into {@code c}'s database, which must be migrated to the snapshot's schema
	 * version and hold nothing else of value (a new or scratch database): in one transaction every
	 * table is emptied, foreign keys and secondary indexes are dropped (and re-created, so re-checked,
	 * after the data), user triggers are
	 * off and forced RLS is lifted (COPY FROM refuses tables whose
	 * RLS applies to the caller), rows are copied in the file's order, sequences move past the restored
	 * ids, then triggers and forced RLS are back. Returns per-table restored row counts.
	 */
	static Map<String, Long> restoreInto(Connection c, SnapshotFile.Reader reader) throws SQLException, IOException {
		return restoreInto(c, reader, () -> {
		});
	}

	/** Something that must hold before a restore commits (the object's SHA-256); throws to roll back. */
	@FunctionalInterface
	interface BeforeCommit {

		void check() throws IOException;

	}

	/** {@link #restoreInto(Connection, SnapshotFile.Reader)}, committing only when {@code beforeCommit} passes. */
	static Map<String, Long> restoreInto(Connection c, SnapshotFile.Reader reader, BeforeCommit beforeCommit)
			throws SQLException, IOException {
		c.setAutoCommit(false);
		CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
		Map<String, TableCatalog.Table> tables = TableCatalog.load(c).stream()
			.collect(Collectors.toMap(TableCatalog.Table::name, Function.identity(), (a, b) -> a, LinkedHashMap::new));
		Map<String, Long> restored = new LinkedHashMap<>();
		try (Statement s = c.createStatement()) {
			for (TableCatalog.Table t : tables.values()) {
				if (t.forcedRls()) {
					s.execute("alter table " + t.quotedName() + " no force row level security");
				}
				s.execute("alter table " + t.quotedName() + " disable trigger user");
			}
			if (!tables.isEmpty()) {
				s.execute("truncate " + tables.values().stream().map(TableCatalog.Table::quotedName).collect(Collectors.joining(", ")));
			}
			// Foreign keys are checked once per constraint and secondary indexes built once, after the data
			// (as pg_restore does), instead of per row during COPY.
			List<String> foreignKeys = dropRemembering(s, """
					select format('alter table %I drop constraint %I', t.relname, k.conname),
					       format('alter table %I add constraint %I %s', t.relname, k.conname, pg_get_constraintdef(k.oid))
					from pg_constraint k join pg_class t on t.oid = k.conrelid
					where k.contype = 'f' and k.connamespace = current_schema()::regnamespace""");
			List<String> indexes = dropRemembering(s, """
					select format('drop index %I', ic.relname), pg_get_indexdef(i.indexrelid) from pg_index i
					join pg_class ic on ic.oid = i.indexrelid join pg_class t on t.oid = i.indrelid
					where t.relnamespace = current_schema()::regnamespace and t.relname <> 'flyway_schema_history'
					  and not exists (select 1 from pg_constraint k where k.conindid = i.indexrelid)""");
			SnapshotFile.Section section;
			while ((section = reader.next()) != null) {
				TableCatalog.Table t = tables.get(section.table());
				if (t == null) {
					throw new SnapshotFile.CorruptBackupException("table " + section.table()
							+ " of the backup does not exist in the target schema");
				}
				long rows = copy.copyIn("COPY " + t.quotedName() + " (" + t.restoreColumns(section.columns()) + ") FROM STDIN",
						section.data());
				if (rows != section.rows()) {
					throw new SnapshotFile.CorruptBackupException("table " + t.name() + ": " + rows + " rows restored, the backup recorded "
							+ section.rows());
				}
				restored.put(t.name(), rows);
			}
			for (String index : indexes) {
				s.execute(index);
			}
			for (String foreignKey : foreignKeys) {
				s.execute(foreignKey);
			}
			for (TableCatalog.Table t : tables.values()) {
				for (String col : t.serialColumns()) {
					s.execute("select setval(pg_get_serial_sequence('" + t.quotedName().replace("'", "''") + "', '" + col.replace("'", "''")
							+ "'), coalesce((select max(" + TableCatalog.quote(col) + ") from " + t.quotedName() + "), 0) + 1, false)");
				}
				s.execute("alter table " + t.quotedName() + " enable trigger user");
				if (t.forcedRls()) {
					s.execute("alter table " + t.quotedName() + " force row level security");
				}
			}
			beforeCommit.check();
			c.commit();
			return restored;
		}
		catch (SQLException | IOException | RuntimeException ex) {
			c.rollback();
			throw ex;
		}
	}

	/** Runs the {@code (drop, re-create)} statement pairs {@code sql} selects: drops now, returns the re-creates. */
	private static List<String> dropRemembering(Statement s, String sql) throws SQLException {
		List<String> drops = new ArrayList<>();
		List<String> creates = new ArrayList<>();
		try (ResultSet rs = s.executeQuery(sql)) {
			while (rs.next()) {
				drops.add(rs.getString(1));
				creates.add(rs.getString(2));
			}
		}
		for (String drop : drops) {
			s.execute(drop);
		}
		return creates;
	}

	static void bindTenant(Connection c, UUID tenant) throws SQLException {
		try (PreparedStatement ps = c.prepareStatement("select set_config('app.tenant_id', ?, true)")) {
			ps.setString(1, tenant.toString());
			ps.executeQuery().close();
		}
	}

	private static List<UUID> tenantIds(Connection c) throws SQLException {
		List<UUID> ids = new ArrayList<>();
		try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select id from tenants order by id")) {
			while (rs.next()) {
				ids.add(rs.getObject(1, UUID.class));
			}
		}
		return ids;
	}

	static String serverVersion(Connection c) throws SQLException {
		try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("show server_version")) {
			rs.next();
			return rs.getString(1);
		}
	}

	/** Flyway's current version: the highest successfully applied versioned migration. */
	static String schemaVersion(Connection c) throws SQLException {
		try (Statement s = c.createStatement(); ResultSet exists = s.executeQuery("select to_regclass('flyway_schema_history') is not null")) {
			exists.next();
			if (!exists.getBoolean(1)) {
				return null;
			}
		}
		try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
				"select version from flyway_schema_history where success and version is not null order by installed_rank desc limit 1")) {
			return rs.next() ? rs.getString(1) : null;
		}
	}

}
