package dev.keel.backup;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;
import org.springframework.stereotype.Component;

import dev.keel.database.DatabaseEndpoints;
import dev.keel.shared.KeelProblemException;
import dev.keel.storage.ObjectStore;

/**
 * Restores a TENANT backup into the live database, in one transaction as the owner role with the
 * tenant bound (so row-level security checks every row written): <b>replace</b> deletes the tenant's
 * rows and puts the backup's back; <b>clone</b> creates a new tenant (new id, the caller's slug) and
 * copies the rows with {@code tenant_id} rewritten — every foreign key between tenant tables is
 * composite {@code (tenant_id, …)}, so rewriting the tenant remaps them all and row ids stay unique
 * within the new tenant. Rows arrive through a temporary table because {@code COPY FROM} refuses tables
 * whose row-level security applies to the caller. The audit trail is history and is never rewound or
 * copied, and sessions (refresh tokens) never survive a restore (docs/decisions/0300).
 */
@Component
class TenantRestore {

	private final ObjectStore store;

	private final DatabaseEndpoints endpoints;

	TenantRestore(ObjectStore store, DatabaseEndpoints endpoints) {
		this.store = store;
		this.endpoints = endpoints;
	}

	/**
	 * A tenant backup restores into the live schema as it is, so it must have been taken at the same
	 * schema version (a missing or renamed column would otherwise fail half-way as a 500).
	 */
	void requireLiveSchemaVersion(Backup b) throws SQLException {
		Object version = b.metadata().get("schemaVersion");
		String live;
		try (Connection c = TargetDatabases.connect(this.endpoints.owner())) {
			live = KeelSnapshot.schemaVersion(c);
		}
		if (version == null || !version.toString().equals(live)) {
			throw new KeelProblemException(BackupProblems.NOT_RESTORABLE, "tenant backup " + b.id() + " was taken at schema version "
					+ version + ", the live schema is at " + live + "; a tenant restore needs the same version (take a new tenant "
					+ "backup, or restore the full backup of that time into a new database)");
		}
	}

	/** Replaces the backed-up tenant's rows; returns rows restored per table. */
	Map<String, Long> replace(Backup b) throws Exception {
		return restore(b, b.tenantId(), null);
	}

	/** Restores as a new tenant with {@code newId} and {@code newSlug}; returns rows restored per table. */
	Map<String, Long> cloneAs(Backup b, UUID newId, String newSlug) throws Exception {
		return restore(b, newId, newSlug);
	}

	private Map<String, Long> restore(Backup b, UUID into, String newSlug) throws Exception {
		try (Connection c = TargetDatabases.connect(this.endpoints.owner()); ChecksummedInput in = new ChecksummedInput(this.store.get(b.storageKey()));
				SnapshotFile.Reader reader = new SnapshotFile.Reader(in)) {
			c.setAutoCommit(false);
			TenantRestoreFiles files = new TenantRestoreFiles(this.store);
			try {
				Map<String, Long> restored = apply(c, reader, b.tenantId(), into, newSlug);
				// The whole object was read: it must be the one the record describes, or nothing lands.
				in.requireSha256(b.sha256());
				if (restored.containsKey("files")) {
					if (newSlug != null) {
						files.copyObjects(c, b.tenantId(), into);
					}
					TenantRestoreFiles.recomputeUsage(c, into);
				}
				c.commit();
				return restored;
			}
			catch (Exception ex) {
				c.rollback();
				files.deleteCopies();
				throw ex;
			}
		}
	}

	private Map<String, Long> apply(Connection c, SnapshotFile.Reader reader, UUID from, UUID into, String newSlug) throws Exception {
		boolean clone = newSlug != null;
		CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
		Map<String, TableCatalog.Table> tables = TableCatalog.load(c).stream()
			.collect(Collectors.toMap(TableCatalog.Table::name, Function.identity(), (x, y) -> x, LinkedHashMap::new));
		KeelSnapshot.bindTenant(c, into);
		try (Statement s = c.createStatement()) {
			if (!clone) {
				List<TableCatalog.Table> reversed = new ArrayList<>(tables.values());
				Collections.reverse(reversed);
				for (TableCatalog.Table t : reversed) {
					if (t.tenantOwned() && !TableCatalog.TENANT_HISTORY.contains(t.name())) {
						s.execute("delete from " + t.quotedName() + " where tenant_id = '" + into + "'");
					}
				}
			}
		}
		Map<String, Long> restored = new LinkedHashMap<>();
		SnapshotFile.Section section;
		int n = 0;
		while ((section = reader.next()) != null) {
			TableCatalog.Table t = tables.get(section.table());
			boolean tenantsRow = section.table().equals(KeelSnapshot.TENANTS);
			if (t == null) {
				throw new SnapshotFile.CorruptBackupException("table " + section.table() + " of the backup does not exist in this schema");
			}
			if (!tenantsRow && !t.tenantOwned()) {
				throw new SnapshotFile.CorruptBackupException("table " + t.name() + " is not a tenant table; a tenant backup cannot restore it");
			}
			String columns = t.restoreColumns(section.columns());
			if (TableCatalog.TENANT_HISTORY.contains(t.name()) || TableCatalog.TENANT_CREDENTIALS.contains(t.name())
					|| (tenantsRow && !clone)) {
				section.drain();
				continue;
			}
			String temp = "keel_restore_" + (n++);
			try (Statement s = c.createStatement()) {
				s.execute("create temp table " + temp + " on commit drop as select " + columns + " from " + t.quotedName()
						+ " with no data");
				long rows = copy.copyIn("COPY " + temp + " (" + columns + ") FROM STDIN", section.data());
				if (rows != section.rows()) {
					throw new SnapshotFile.CorruptBackupException("table " + t.name() + ": " + rows + " rows read, the backup recorded " + section.rows());
				}
				if (tenantsRow) {
					try (PreparedStatement ps = c.prepareStatement("insert into tenants (id, slug, name, status) select ?, ?, name, 'active' from "
							+ temp + " where id = ?")) {
						ps.setObject(1, into);
						ps.setString(2, newSlug);
						ps.setObject(3, from);
						if (ps.executeUpdate() != 1) {
							throw new SnapshotFile.CorruptBackupException("the backup holds no row for tenant " + from);
						}
					}
				}
				else {
					if (clone) {
						s.execute("update " + temp + " set tenant_id = '" + into + "'");
					}
					s.execute("insert into " + t.quotedName() + " (" + columns + ") overriding system value select " + columns + " from "
							+ temp);
				}
				s.execute("drop table " + temp);
				restored.put(t.name(), rows);
			}
			catch (SQLException ex) {
				throw new SQLException("restoring table " + t.name() + ": " + ex.getMessage(), ex.getSQLState(), ex);
			}
		}
		return restored;
	}

}
