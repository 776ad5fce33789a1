package dev.keel.files;

import java.nio.file.Path;

/**
 * One encoded output of the pipeline (the bounded image or its thumbnail), written to {@link #path()}.
 *
 * @param path the written file, inside the output directory given to the processor
 * @param contentType {@code image/jpeg} or {@code image/png}
 * @param width pixels, after orientation and scaling
 * @param height pixels, after orientation and scaling
 * @param sizeBytes the file's length
 * @param sha256 lower-case hex SHA-256 of the file's bytes
 */
public record ImageRendition(Path path, String contentType, int width, int height, long sizeBytes, String sha256) {
}
