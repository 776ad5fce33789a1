package dev.keel.storage;

import java.io.InputStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

import com.sun.management.GarbageCollectionNotificationInfo;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * Put throughput and heap growth of a stream of unknown length into the S3 store (s3proxy in this
 * JVM, objects on local disk), with baselines measured in the same run: the filesystem store, one
 * PutObject of a known-length stream through the same SDK client setup (the ceiling without any
 * buffering), and buffering the whole stream first (what the part buffer avoids).
 */
public final class StorageBenchmark {

	static final int MB = 1024 * 1024;

	static final int SIZE_MB = Integer.getInteger("bench.sizeMb", 64);

	static final int ROUNDS = Integer.getInteger("bench.rounds", 3);

	static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

	static final java.util.Set<String> HEAP_POOLS = ManagementFactory.getMemoryPoolMXBeans().stream()
		.filter((p) -> p.getType() == java.lang.management.MemoryType.HEAP)
		.map(java.lang.management.MemoryPoolMXBean::getName)
		.collect(java.util.stream.Collectors.toSet());

	interface Run {

		void run(int round) throws Exception;

	}

	public static void main(String[] args) {
		try {
			benchmark();
			System.exit(0);
		}
		catch (Throwable ex) {
			// s3proxy's threads would keep the JVM alive
			ex.printStackTrace();
			System.exit(1);
		}
	}

	static void benchmark() throws Exception {
		S3TestServer server = S3TestServer.shared();
		String bucket = server.createBucket();
		Path fsRoot = Files.createTempDirectory("keel-fs-bench-");
		FilesystemObjectStore fs = new FilesystemObjectStore(fsRoot);
		S3ObjectStore s3Default = server.store(bucket, 8 * MB);
		S3ObjectStore s3Large = server.store(bucket, 16 * MB);
		S3ObjectStore s3Min = server.store(bucket, 5 * MB);
		long size = (long) SIZE_MB * MB;
		List<String> lines = new ArrayList<>();
		// Warm-up: class loading, JIT, connection set-up.
		for (int i = 0; i < 2; i++) {
			s3Default.put("bench/warmup.bin", new GeneratedStream(16L * MB), "application/octet-stream");
			fs.put("bench/warmup.bin", new GeneratedStream(16L * MB), "application/octet-stream");
		}
		lines.add(measure("filesystem store put (baseline)", size, (r) -> fs.put("bench/fs-" + r + ".bin", new GeneratedStream(size), null)));
		lines.add(measure("SDK PutObject, known length (baseline)", size, (r) -> s3Default.connection().client()
			.putObject((b) -> b.bucket(bucket).key("bench/sdk-" + r + ".bin"), RequestBody.fromContentProvider(() -> new GeneratedStream(size), size, "application/octet-stream"))));
		lines.add(measure("whole stream buffered, then PutObject (baseline)", size, (r) -> {
			byte[] all = new GeneratedStream(size).readAllBytes();
			s3Default.connection().client().putObject((b) -> b.bucket(bucket).key("bench/all-" + r + ".bin"),
					RequestBody.fromContentProvider(() -> new java.io.ByteArrayInputStream(all), all.length, "application/octet-stream"));
		}));
		lines.add(measure("S3ObjectStore.put, 5 MB parts", size, (r) -> s3Min.put("bench/s3-5-" + r + ".bin", new GeneratedStream(size), null)));
		lines.add(measure("S3ObjectStore.put, 8 MB parts (default)", size, (r) -> s3Default.put("bench/s3-8-" + r + ".bin", new GeneratedStream(size), null)));
		lines.add(measure("S3ObjectStore.put, 16 MB parts", size, (r) -> s3Large.put("bench/s3-16-" + r + ".bin", new GeneratedStream(size), null)));
		s3Default.connection().client().putObject((b) -> b.bucket(bucket).key("bench/get.bin"),
				RequestBody.fromContentProvider(() -> new GeneratedStream(size), size, "application/octet-stream"));
		lines.add(measure("S3ObjectStore.get, read to the end", size, (r) -> {
			try (InputStream in = s3Default.get("bench/get.bin")) {
				in.transferTo(OutputSink.INSTANCE);
			}
		}));
		System.out.println();
		System.out.println("==== Keel storage benchmark: " + SIZE_MB + " MB stream, median of " + ROUNDS + " rounds, max heap "
				+ Runtime.getRuntime().maxMemory() / MB + " MB, " + Runtime.getRuntime().availableProcessors() + " CPUs, Java "
				+ System.getProperty("java.version") + " ====");
		System.out.printf("%-50s %8s %9s %14s %14s%n", "operation", "MB/s", "median s", "peak used MB", "peak live MB");
		lines.forEach(System.out::println);
		fs.deleteAll("bench/");
		s3Default.deleteAll("bench/");
	}

	/**
	 * Median throughput, plus two heap figures over all rounds: the peak of heap in use (live objects
	 * and garbage not yet collected, sampled every millisecond) and the peak of heap still in use
	 * right after a collection (what the operation holds live), both above the level after a full GC
	 * before the round. The s3proxy server runs in this JVM, so its buffers count too, for every row.
	 */
	static String measure(String name, long size, Run run) throws Exception {
		try {
			return measureRounds(name, size, run);
		}
		catch (OutOfMemoryError ex) {
			System.gc();
			return String.format("%-50s %s", name, "OutOfMemoryError at -Xmx" + Runtime.getRuntime().maxMemory() / MB + "m");
		}
	}

	static String measureRounds(String name, long size, Run run) throws Exception {
		double[] seconds = new double[ROUNDS];
		long peakUsed = 0;
		long peakLive = 0;
		for (int r = 0; r < ROUNDS; r++) {
			System.gc();
			System.gc();
			long before = MEMORY.getHeapMemoryUsage().getUsed();
			AtomicLong used = new AtomicLong(before);
			AtomicLong live = new AtomicLong(before);
			NotificationListener afterGc = (notification, handback) -> {
				if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
					var info = GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
					long total = info.getGcInfo().getMemoryUsageAfterGc().entrySet().stream()
						.filter((e) -> HEAP_POOLS.contains(e.getKey()))
						.mapToLong((e) -> e.getValue().getUsed())
						.sum();
					live.accumulateAndGet(total, Math::max);
				}
			};
			List<GarbageCollectorMXBean> collectors = ManagementFactory.getGarbageCollectorMXBeans();
			collectors.forEach((gc) -> ((NotificationEmitter) gc).addNotificationListener(afterGc, null, null));
			Thread sampler = Thread.ofPlatform().daemon().start(() -> {
				while (!Thread.currentThread().isInterrupted()) {
					used.accumulateAndGet(MEMORY.getHeapMemoryUsage().getUsed(), Math::max);
					try {
						Thread.sleep(1);
					}
					catch (InterruptedException ex) {
						return;
					}
				}
			});
			long t0 = System.nanoTime();
			run.run(r);
			seconds[r] = (System.nanoTime() - t0) / 1e9;
			sampler.interrupt();
			sampler.join();
			for (GarbageCollectorMXBean gc : collectors) {
				((NotificationEmitter) gc).removeNotificationListener(afterGc);
			}
			peakUsed = Math.max(peakUsed, used.get() - before);
			peakLive = Math.max(peakLive, live.get() - before);
		}
		java.util.Arrays.sort(seconds);
		double median = seconds[ROUNDS / 2];
		return String.format("%-50s %8.1f %9.2f %14.1f %14.1f", name, size / (double) MB / median, median, peakUsed / (double) MB, peakLive / (double) MB);
	}

	/** {@code size} bytes of pseudo-random data without holding them: one 1 MB block, repeated. */
	static final class GeneratedStream extends InputStream {

		private static final byte[] BLOCK = new byte[MB];

		static {
			new Random(42).nextBytes(BLOCK);
		}

		private final long size;

		private long position;

		GeneratedStream(long size) {
			this.size = size;
		}

		@Override
		public int read() {
			return (this.position < this.size) ? BLOCK[(int) (this.position++ % MB)] & 0xff : -1;
		}

		@Override
		public int read(byte[] b, int off, int len) {
			if (this.position >= this.size) {
				return -1;
			}
			int start = (int) (this.position % MB);
			int n = (int) Math.min(Math.min(len, MB - start), this.size - this.position);
			System.arraycopy(BLOCK, start, b, off, n);
			this.position += n;
			return n;
		}

	}

	static final class OutputSink extends java.io.OutputStream {

		static final OutputSink INSTANCE = new OutputSink();

		@Override
		public void write(int b) {
		}

		@Override
		public void write(byte[] b, int off, int len) {
		}

	}

	private StorageBenchmark() {
	}

}
