package dev.keel.files;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import dev.keel.tenancy.TenantScope;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * SQL of {@code files} and {@code file_usage}. Every call runs in a transaction bound to the caller's
 * tenant; no query filters by tenant itself, row-level security does.
 */
@Repository
class FileRepository {

	private static final String COLUMNS = "tenant_id, id, uploaded_by, original_name, name, content_type, size_bytes, sha256, category, "
			+ "status, storage_key, thumbnail_key, thumbnail_bytes, rejection_reason, created_at, updated_at, processed_at";

	private final JdbcClient jdbc;

	FileRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** A row of {@code files}. */
	record FileRow(UUID tenantId, UUID id, UUID uploadedBy, String originalName, String name, String contentType, long sizeBytes,
			String sha256, String category, String status, String storageKey, String thumbnailKey, long thumbnailBytes,
			String rejectionReason, Instant createdAt, Instant updatedAt, Instant processedAt) {

		/** Bytes this file holds in storage (what the usage counts). */
		long storedBytes() {
			return "rejected".equals(this.status) ? 0 : this.sizeBytes + this.thumbnailBytes;
		}

	}

	/** List filters; null fields do not filter. */
	record Filter(String status, String category, String contentType) {
	}

	FileRow insert(UUID id, UUID uploadedBy, String originalName, String name, String contentType, long size, String sha256,
			String category, String status, String storageKey) {
		return this.jdbc.sql("insert into files (tenant_id, id, uploaded_by, original_name, name, content_type, size_bytes, sha256, "
				+ "category, status, storage_key) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) returning " + COLUMNS)
			.params(TenantScope.current(), id, uploadedBy, originalName, name, contentType, size, sha256, category, status, storageKey)
			.query(FileRepository::map).single();
	}

	Optional<FileRow> byId(UUID id) {
		return this.jdbc.sql("select " + COLUMNS + " from files where id = ?").param(id).query(FileRepository::map).optional();
	}

	/** Locks the row for a change (processing and deletion must not interleave). */
	Optional<FileRow> lock(UUID id) {
		return this.jdbc.sql("select " + COLUMNS + " from files where id = ? for update").param(id).query(FileRepository::map).optional();
	}

	/** Newest first; {@code after} is the (created_at, id) position of the previous page's last row. */
	List<FileRow> page(Filter filter, Instant afterCreated, UUID afterId, int limit) {
		Timestamp after = (afterCreated != null) ? Timestamp.from(afterCreated) : null;
		return this.jdbc.sql("select " + COLUMNS + " from files where (?::text is null or status = ?) and (?::text is null or category = ?) "
				+ "and (?::text is null or content_type = ?) and (?::timestamptz is null or (created_at, id) < (?, ?)) "
				+ "order by created_at desc, id desc limit ?")
			.params(filter.status(), filter.status(), filter.category(), filter.category(), filter.contentType(), filter.contentType(),
					after, after, afterId, limit)
			.query(FileRepository::map).list();
	}

	FileRow markStored(UUID id, String name, String contentType, long size, String sha256, String thumbnailKey, long thumbnailBytes) {
		return this.jdbc.sql("update files set status = 'stored', name = ?, content_type = ?, size_bytes = ?, sha256 = ?, thumbnail_key = ?, "
				+ "thumbnail_bytes = ?, processed_at = now(), updated_at = now() where id = ? returning " + COLUMNS)
			.params(name, contentType, size, sha256, thumbnailKey, thumbnailBytes, id).query(FileRepository::map).single();
	}

	FileRow markRejected(UUID id, String reason) {
		return this.jdbc.sql("update files set status = 'rejected', rejection_reason = ?, storage_key = null, thumbnail_key = null, "
				+ "thumbnail_bytes = 0, processed_at = now(), updated_at = now() where id = ? returning " + COLUMNS)
			.params(reason, id).query(FileRepository::map).single();
	}

	boolean delete(UUID id) {
		return this.jdbc.sql("delete from files where id = ?").param(id).update() == 1;
	}

	/** Adds to the tenant's usage (negative to release) and returns the bytes used after the change. */
	long addUsage(long bytes, long files) {
		return this.jdbc.sql("insert into file_usage (tenant_id, bytes, files) values (?, greatest(?, 0), greatest(?, 0)) "
				+ "on conflict (tenant_id) do update set bytes = greatest(file_usage.bytes + ?, 0), "
				+ "files = greatest(file_usage.files + ?, 0), updated_at = now() returning bytes")
			.params(TenantScope.current(), bytes, files, bytes, files).query(Long.class).single();
	}

	long usedBytes() {
		return this.jdbc.sql("select coalesce(max(bytes), 0) from file_usage").query(Long.class).single();
	}

	/** Bytes and file count of the bound tenant. */
	long[] usage() {
		return this.jdbc.sql("select coalesce(max(bytes), 0) as bytes, coalesce(max(files), 0) as files from file_usage")
			.query((rs, i) -> new long[] { rs.getLong("bytes"), rs.getLong("files") }).single();
	}

	private static FileRow map(ResultSet rs, int i) throws SQLException {
		return new FileRow(rs.getObject("tenant_id", UUID.class), rs.getObject("id", UUID.class), rs.getObject("uploaded_by", UUID.class),
				rs.getString("original_name"), rs.getString("name"), rs.getString("content_type"), rs.getLong("size_bytes"),
				rs.getString("sha256"), rs.getString("category"), rs.getString("status"), rs.getString("storage_key"),
				rs.getString("thumbnail_key"), rs.getLong("thumbnail_bytes"), rs.getString("rejection_reason"), instant(rs, "created_at"),
				instant(rs, "updated_at"), instant(rs, "processed_at"));
	}

	private static Instant instant(ResultSet rs, String column) throws SQLException {
		Timestamp t = rs.getTimestamp(column);
		return (t != null) ? t.toInstant() : null;
	}

}
