package dev.keel.files;

import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A file as the API shows it (SPEC §5): {@code url} and {@code thumbnailUrl} are the authenticated
 * download paths ({@code thumbnailUrl} is null until the image step made one).
 *
 * Every field is always present (null when absent), so clients see one stable shape.
 *
 * @param status {@code pending_scan}, {@code processing}, {@code stored} or {@code rejected}
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record FileView(UUID id, String filename, String contentType, long sizeBytes, String sha256, String status, String url,
		String thumbnailUrl, String category, String rejectionReason, UUID uploadedBy, Instant createdAt, Instant processedAt) {

	static FileView of(FileRepository.FileRow row) {
		boolean content = row.storageKey() != null;
		return new FileView(row.id(), row.name(), row.contentType(), row.sizeBytes(), row.sha256(), row.status(),
				content ? "/api/files/" + row.id() + "/content" : null,
				(row.thumbnailKey() != null) ? "/api/files/" + row.id() + "/thumbnail" : null, row.category(), row.rejectionReason(),
				row.uploadedBy(), row.createdAt(), row.processedAt());
	}

}
