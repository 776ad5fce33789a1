package dev.keel.backup;

import java.io.InputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.keel.storage.ObjectInfo;
import dev.keel.storage.ObjectStore;

/**
 * What a tenant restore does about files (the {@code files} module's tables, restored like any other):
 * a clone gets its own copies of the source's objects under {@code tenants/<newId>/…} and its rows point
 * there (a clone never references another tenant's objects); both modes recompute {@code file_usage}
 * from the restored rows. Runs inside the restore's transaction with the tenant bound; the caller
 * deletes {@link #copies} when that transaction does not commit. Objects are not inside backups: a
 * file deleted since the backup keeps its row but has no object (docs/decisions/0300).
 */
final class TenantRestoreFiles {

	private static final Logger log = LoggerFactory.getLogger(TenantRestoreFiles.class);

	private final ObjectStore store;

	private final List<String> copies = new ArrayList<>();

	TenantRestoreFiles(ObjectStore store) {
		this.store = store;
	}

	/** Objects copied so far (to delete when the restore rolls back). */
	List<String> copies() {
		return this.copies;
	}

	/** Copies the clone's objects from {@code tenants/<from>/} to {@code tenants/<into>/} and rewrites the keys. */
	void copyObjects(Connection c, UUID from, UUID into) throws Exception {
		List<String[]> rows = new ArrayList<>();
		try (PreparedStatement ps = c.prepareStatement("select id::text, storage_key, thumbnail_key from files where tenant_id = ?")) {
			ps.setObject(1, into);
			try (ResultSet rs = ps.executeQuery()) {
				while (rs.next()) {
					rows.add(new String[] { rs.getString(1), rs.getString(2), rs.getString(3) });
				}
			}
		}
		String oldPrefix = "tenants/" + from + "/";
		String newPrefix = "tenants/" + into + "/";
		try (PreparedStatement update = c.prepareStatement("update files set storage_key = ?, thumbnail_key = ? where tenant_id = ? and id = ?::uuid")) {
			for (String[] row : rows) {
				update.setString(1, copy(row[1], oldPrefix, newPrefix));
				update.setString(2, copy(row[2], oldPrefix, newPrefix));
				update.setObject(3, into);
				update.setString(4, row[0]);
				update.addBatch();
			}
			update.executeBatch();
		}
	}

	private String copy(String key, String oldPrefix, String newPrefix) throws Exception {
		if (key == null) {
			return null;
		}
		if (!key.startsWith(oldPrefix)) {
			// Never let the clone point at an object outside the source tenant's folder.
			log.warn("Clone: object key {} is not under {}; the clone's row gets no object", key, oldPrefix);
			return null;
		}
		String target = newPrefix + key.substring(oldPrefix.length());
		java.util.Optional<ObjectInfo> info = this.store.head(key);
		if (info.isEmpty()) {
			log.warn("Clone: object {} of the source tenant no longer exists; the clone's row points at {} without an object", key, target);
			return target;
		}
		try (InputStream in = this.store.get(key)) {
			this.store.put(target, in, (info.get().contentType() != null) ? info.get().contentType() : "application/octet-stream");
		}
		this.copies.add(target);
		return target;
	}

	/** {@code file_usage} from the restored rows (originals + thumbnails of rows not rejected). */
	static void recomputeUsage(Connection c, UUID tenant) throws SQLException {
		try (PreparedStatement ps = c.prepareStatement("""
				insert into file_usage (tenant_id, bytes, files)
				select ?, coalesce(sum(size_bytes + thumbnail_bytes), 0), count(*) from files where tenant_id = ? and status <> 'rejected'
				on conflict (tenant_id) do update set bytes = excluded.bytes, files = excluded.files, updated_at = now()""")) {
			ps.setObject(1, tenant);
			ps.setObject(2, tenant);
			ps.executeUpdate();
		}
	}

	/** Deletes the copies of a restore that did not commit. */
	void deleteCopies() {
		for (String key : this.copies) {
			try {
				this.store.delete(key);
			}
			catch (Exception ex) {
				log.warn("Clone rolled back: could not delete copied object {} (not referenced; remove it by hand): {}", key, ex.getMessage());
			}
		}
	}

}
