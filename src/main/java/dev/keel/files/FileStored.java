package dev.keel.files;

import java.util.UUID;

/**
 * A file reached {@code stored}: validated, scanned and (for images) optimised. Published inside the
 * transaction that stored it, so transactional listeners see it only after the commit.
 */
public record FileStored(UUID tenantId, UUID fileId, String filename, String contentType, long sizeBytes, String sha256,
		String category) {

	static FileStored of(FileRepository.FileRow row) {
		return new FileStored(row.tenantId(), row.id(), row.name(), row.contentType(), row.sizeBytes(), row.sha256(), row.category());
	}

}
