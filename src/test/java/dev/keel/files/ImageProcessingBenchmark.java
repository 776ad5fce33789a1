package dev.keel.files;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Measures {@link ImageProcessor} on a generated photo-like JPEG (default 3000x2000, about 1 MB):
 * time per image (p50/p95 over the measured runs, after warm-up), bytes allocated per run, peak heap
 * pool usage per run and heap growth across all runs.
 *
 * <pre>java -cp target/classes:target/test-classes:$(deps) dev.keel.files.ImageProcessingBenchmark [width height runs [file]]</pre>
 *
 * With {@code file}: a missing file is generated at the given size and the program exits (so the
 * measured JVM need not hold the generator's pixels); an existing file is measured instead of a
 * generated one, which lets a run under a small {@code -Xmx} find the heap an image really needs.
 */
public final class ImageProcessingBenchmark {

	private ImageProcessingBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		int width = args.length > 0 ? Integer.parseInt(args[0]) : 3000;
		int height = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
		int runs = args.length > 2 ? Integer.parseInt(args[2]) : 20;
		int warmup = Math.min(5, runs);
		Path given = args.length > 3 ? Path.of(args[3]) : null;
		if (given != null && !Files.exists(given)) {
			Files.write(given, photo(width, height));
			System.out.println("generated " + given + " (" + Files.size(given) + " bytes)");
			return;
		}
		Path dir = Files.createTempDirectory("keel-image-bench");
		try {
			Path source = given != null ? given : Files.write(dir.resolve("photo.jpg"), photo(width, height));
			if (given != null) {
				java.awt.Dimension size = dimensions(given);
				width = size.width;
				height = size.height;
			}
			ImageProcessor processor = new ImageProcessor();
			com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
			List<MemoryPoolMXBean> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
				.filter(pool -> pool.getType() == MemoryType.HEAP)
				.toList();

			for (int i = 0; i < warmup; i++) {
				processor.process(source, ImageFormat.JPEG, dir.resolve("out"));
			}
			long baseline = usedAfterGc();
			double[] millis = new double[runs];
			long allocated = 0;
			long peak = 0;
			ProcessedImage last = null;
			for (int i = 0; i < runs; i++) {
				System.gc();
				heapPools.forEach(MemoryPoolMXBean::resetPeakUsage);
				long before = heapPools.stream().mapToLong(pool -> pool.getUsage().getUsed()).sum();
				long allocatedBefore = threads.getCurrentThreadAllocatedBytes();
				long start = System.nanoTime();
				last = processor.process(source, ImageFormat.JPEG, dir.resolve("out"));
				millis[i] = (System.nanoTime() - start) / 1e6;
				allocated += threads.getCurrentThreadAllocatedBytes() - allocatedBefore;
				long peakDuring = heapPools.stream().mapToLong(pool -> pool.getPeakUsage().getUsed()).sum();
				peak = Math.max(peak, peakDuring - before);
			}
			long growth = usedAfterGc() - baseline;
			Arrays.sort(millis);
			double megapixels = width * (double) height / 1e6;
			System.out.printf(Locale.ROOT, "source     %dx%d JPEG, %.2f MB, %.1f MP, EXIF orientation 6%n", width, height,
					Files.size(source) / 1e6, megapixels);
			System.out.printf(Locale.ROOT, "output     %dx%d %s %.0f KB, thumbnail %dx%d %.1f KB%n", last.image().width(),
					last.image().height(), last.contentType(), last.image().sizeBytes() / 1e3, last.thumbnail().width(),
					last.thumbnail().height(), last.thumbnail().sizeBytes() / 1e3);
			System.out.printf(Locale.ROOT, "time       p50 %.0f ms, p95 %.0f ms, min %.0f ms, max %.0f ms (%d runs after %d warm-up)%n",
					percentile(millis, 0.50), percentile(millis, 0.95), millis[0], millis[runs - 1], runs, warmup);
			System.out.printf(Locale.ROOT, "allocated  %.0f MB per image (%.1f MB per megapixel)%n",
					allocated / (double) runs / 1e6, allocated / (double) runs / 1e6 / megapixels);
			System.out.printf(Locale.ROOT, "peak heap  %.0f MB above the idle heap (%.1f MB per megapixel; sum of pool peaks)%n",
					peak / 1e6, peak / 1e6 / megapixels);
			System.out.printf(Locale.ROOT, "heap growth after %d runs: %.1f MB (retained, after GC)%n", runs, growth / 1e6);
		}
		finally {
			try (var files = Files.walk(dir)) {
				files.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(path -> path.toFile().delete());
			}
		}
	}

	/** Photo-like JPEG (gradient plus noise, quality 0.85) with EXIF orientation 6: about 1 MB at 3000x2000. */
	private static byte[] photo(int width, int height) {
		return TestImages.withSegments(TestImages.jpeg(TestImages.noise(width, height, 42), 0.85f),
				TestImages.exifSegment(6));
	}

	private static java.awt.Dimension dimensions(Path file) throws java.io.IOException {
		try (var in = javax.imageio.ImageIO.createImageInputStream(file.toFile())) {
			var reader = javax.imageio.ImageIO.getImageReaders(in).next();
			reader.setInput(in);
			return new java.awt.Dimension(reader.getWidth(0), reader.getHeight(0));
		}
	}

	private static long usedAfterGc() {
		System.gc();
		Runtime runtime = Runtime.getRuntime();
		return runtime.totalMemory() - runtime.freeMemory();
	}

	private static double percentile(double[] sorted, double p) {
		int index = (int) Math.ceil(p * sorted.length) - 1;
		return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
	}

}
