package dev.keel.backup;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The tables of Keel's schema as a backup sees them, read from the PostgreSQL catalog so that tables
 * added by other modules are backed up without registering anywhere: columns, primary key, whether the
 * table is tenant-owned (a {@code tenant_id} column under row-level security), identity/serial columns
 * whose sequences a restore must move, and an order in which every table comes after the tables its
 * foreign keys point to.
 */
final class TableCatalog {

	/** Flyway's own history is recreated by running the migrations, never copied. */
	static final Set<String> NOT_COPIED = Set.of("flyway_schema_history");

	/**
	 * Append-only history: a tenant restore never rewinds it (a {@code backup.restored} entry is appended
	 * instead) and a clone starts its own chain. See docs/decisions/0300.
	 */
	static final Set<String> TENANT_HISTORY = Set.of("audit_events", "audit_events_archive", "audit_chain_anchors");

	/** Credentials bound to one tenant's sessions; a clone must not inherit them. */
	static final Set<String> TENANT_CREDENTIALS = Set.of("refresh_tokens");

	private TableCatalog() {
	}

	/** One table: quoted column list, primary-key columns, and what a restore needs to know. */
	record Table(String name, List<String> columns, List<String> primaryKey, boolean tenantOwned, boolean forcedRls,
			List<String> serialColumns) {

		String quotedName() {
			return quote(this.name);
		}

		String columnList() {
			return String.join(", ", this.columns.stream().map(TableCatalog::quote).toList());
		}

		/**
		 * The column list of a backup section, rebuilt from this table's real columns: the file's list
		 * (as {@link #columnList()} wrote it) must name a subset of them, each once — anything else is
		 * a corrupt (or crafted) file, never SQL.
		 */
		String restoreColumns(String fromFile) throws SnapshotFile.CorruptBackupException {
			java.util.Set<String> named = new java.util.LinkedHashSet<>();
			java.util.regex.Matcher m = QUOTED_LIST.matcher(fromFile);
			int at = 0;
			while (at < fromFile.length()) {
				if (!m.find(at) || m.start() != at) {
					throw new SnapshotFile.CorruptBackupException("table " + this.name + ": the backup's column list is malformed");
				}
				String column = m.group(1).replace("\"\"", "\"");
				if (!this.columns.contains(column) || !named.add(column)) {
					throw new SnapshotFile.CorruptBackupException("table " + this.name + ": the backup names column " + quote(column)
							+ ", which the table does not have (or names twice)");
				}
				at = m.end();
			}
			if (named.isEmpty()) {
				throw new SnapshotFile.CorruptBackupException("table " + this.name + ": the backup names no columns");
			}
			return String.join(", ", named.stream().map(TableCatalog::quote).toList());
		}

		/** Primary-key order, so a re-export of the restored rows yields the same bytes (and checksum). */
		String orderBy() {
			return this.primaryKey.isEmpty() ? ""
					: " order by " + String.join(", ", this.primaryKey.stream().map(TableCatalog::quote).toList());
		}

	}

	/** Every table of the current schema, parents before children. */
	static List<Table> load(Connection c) throws SQLException {
		Map<String, Table> tables = new LinkedHashMap<>();
		String sql = """
				select c.relname, c.relrowsecurity, c.relforcerowsecurity,
				  array(select a.attname::text from pg_attribute a where a.attrelid = c.oid and a.attnum > 0
				        and not a.attisdropped and a.attgenerated = '' order by a.attnum) as columns,
				  array(select a.attname::text from pg_index i join pg_attribute a on a.attrelid = i.indrelid
				        and a.attnum = any(i.indkey) where i.indrelid = c.oid and i.indisprimary
				        order by array_position(i.indkey::int2[], a.attnum)) as pk,
				  array(select a.attname::text from pg_attribute a where a.attrelid = c.oid and a.attnum > 0
				        and not a.attisdropped and (a.attidentity <> '' or pg_get_serial_sequence(quote_ident(c.relname), a.attname) is not null)) as serials
				from pg_class c
				where c.relnamespace = current_schema()::regnamespace and c.relkind in ('r', 'p') and not c.relispartition
				order by c.relname""";
		try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
			while (rs.next()) {
				String name = rs.getString(1);
				if (NOT_COPIED.contains(name)) {
					continue;
				}
				List<String> columns = Arrays.asList((String[]) rs.getArray(4).getArray());
				boolean tenantOwned = rs.getBoolean(2) && columns.contains("tenant_id");
				tables.put(name, new Table(name, columns, Arrays.asList((String[]) rs.getArray(5).getArray()), tenantOwned,
						rs.getBoolean(3), Arrays.asList((String[]) rs.getArray(6).getArray())));
			}
		}
		Map<String, Set<String>> parents = new LinkedHashMap<>();
		try (PreparedStatement ps = c.prepareStatement("""
				select ch.relname, pa.relname from pg_constraint k
				join pg_class ch on ch.oid = k.conrelid join pg_class pa on pa.oid = k.confrelid
				where k.contype = 'f' and k.connamespace = current_schema()::regnamespace and k.conrelid <> k.confrelid""");
				ResultSet rs = ps.executeQuery()) {
			while (rs.next()) {
				parents.computeIfAbsent(rs.getString(1), (k) -> new LinkedHashSet<>()).add(rs.getString(2));
			}
		}
		List<Table> ordered = new ArrayList<>();
		Set<String> placed = new LinkedHashSet<>();
		while (placed.size() < tables.size()) {
			boolean progress = false;
			for (Table t : tables.values()) {
				if (!placed.contains(t.name()) && parents.getOrDefault(t.name(), Set.of()).stream()
					.allMatch((p) -> placed.contains(p) || !tables.containsKey(p))) {
					ordered.add(t);
					placed.add(t.name());
					progress = true;
				}
			}
			if (!progress) {
				throw new IllegalStateException("foreign keys form a cycle among " + tables.keySet().stream()
					.filter((n) -> !placed.contains(n)).toList() + "; Keel's format cannot order them");
			}
		}
		return ordered;
	}

	/** One quoted identifier of a column list, with its separator. */
	private static final java.util.regex.Pattern QUOTED_LIST = java.util.regex.Pattern.compile("\"((?:[^\"]|\"\")*)\"(?:, (?=\")|$)");

	static String quote(String ident) {
		return '"' + ident.replace("\"", "\"\"") + '"';
	}

}
