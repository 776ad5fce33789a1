package dev.keel.files;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The {@code file-process} job's image step on {@link ImageProcessor}: upright by EXIF, metadata
 * stripped, bounded to 2048 px, re-encoded (WebP becomes PNG when it has alpha, JPEG otherwise — see
 * decision 0401), 200 px thumbnail. An image the processor refuses is rejected for good.
 */
final class ProcessorImageOptimizer implements ImageOptimizer {

	private final ImageProcessor processor;

	ProcessorImageOptimizer(ImageProcessor processor) {
		this.processor = processor;
	}

	@Override
	public Result optimize(Path source, FileType type, Path workDir) throws Rejected, IOException {
		ImageFormat format = ImageFormat.fromContentType(type.mediaType())
			.orElseThrow(() -> new IllegalArgumentException("not an image type: " + type.mediaType()));
		try {
			ProcessedImage p = this.processor.process(source, format, workDir);
			return new Result(p.image().path(), p.image().contentType(), p.thumbnail().path(), p.thumbnail().contentType(),
					p.image().width(), p.image().height());
		}
		catch (ImageRejectedException ex) {
			throw new Rejected("image-decode: " + ex.reason(), ex);
		}
	}

}
