import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Upload load client for perf/files/run.sh (JDK single-file program, no dependencies):
 *   java UploadLoad.java BASE_URL TOKEN jpeg SECONDS CONCURRENCY   -> 1 MB JPEG uploads in a closed loop (throughput)
 *   java UploadLoad.java BASE_URL TOKEN rate SECONDS PER_MINUTE    -> 1 MB JPEG uploads started at a fixed rate (latency)
 *   java UploadLoad.java BASE_URL TOKEN pdf  COUNT                 -> sequential ~24 MB PDF uploads
 * Prints one line: count, errors, uploads/min, p50/p95/p99/max latency in ms.
 */
public class UploadLoad {

	public static void main(String[] args) throws Exception {
		String base = args[0];
		String token = args[1];
		String kind = args[2];
		HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
		boolean jpeg = !"pdf".equals(kind);
		byte[] file = jpeg ? jpegAboutOneMegabyte() : bigPdf(24 * 1024 * 1024);
		String name = jpeg ? "photo.jpg" : "big.pdf";
		String type = jpeg ? "image/jpeg" : "application/pdf";
		String boundary = "perf-boundary-7d1f";
		ByteArrayOutputStream body = new ByteArrayOutputStream();
		body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + name + "\"\r\nContent-Type: " + type
				+ "\r\n\r\n").getBytes());
		body.writeBytes(file);
		body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes());
		byte[] payload = body.toByteArray();
		HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/api/files")).header("Authorization", "Bearer " + token)
			.header("Content-Type", "multipart/form-data; boundary=" + boundary).POST(HttpRequest.BodyPublishers.ofByteArray(payload)).build();
		ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
		AtomicInteger errors = new AtomicInteger();
		long t0 = System.nanoTime();
		if ("jpeg".equals(kind)) {
			long seconds = Long.parseLong(args[3]);
			int concurrency = Integer.parseInt(args[4]);
			long end = t0 + seconds * 1_000_000_000L;
			try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
				for (int c = 0; c < concurrency; c++) {
					pool.submit(() -> {
						while (System.nanoTime() < end) {
							send(client, request, latencies, errors);
						}
						return null;
					});
				}
			}
		}
		else if ("rate".equals(kind)) {
			long seconds = Long.parseLong(args[3]);
			long intervalNanos = (long) (60e9 / Double.parseDouble(args[4]));
			try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
				for (long next = t0; next < t0 + seconds * 1_000_000_000L; next += intervalNanos) {
					long wait = next - System.nanoTime();
					if (wait > 0) {
						Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
					}
					pool.submit(() -> send(client, request, latencies, errors));
				}
			}
		}
		else {
			int count = Integer.parseInt(args[3]);
			for (int i = 0; i < count; i++) {
				send(client, request, latencies, errors);
			}
		}
		double minutes = (System.nanoTime() - t0) / 60e9;
		List<Long> sorted = new ArrayList<>(latencies);
		Collections.sort(sorted);
		System.out.printf("file=%d KB uploads=%d errors=%d uploads/min=%.0f p50=%.1f ms p95=%.1f ms p99=%.1f ms max=%.1f ms%n", file.length / 1024,
				sorted.size(), errors.get(), sorted.size() / minutes, pct(sorted, 50), pct(sorted, 95), pct(sorted, 99), pct(sorted, 100));
	}

	static void send(HttpClient client, HttpRequest request, ConcurrentLinkedQueue<Long> latencies, AtomicInteger errors) {
		long s = System.nanoTime();
		try {
			HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
			if (r.statusCode() != 201) {
				if (errors.incrementAndGet() <= 3) {
					System.err.println("HTTP " + r.statusCode() + " " + r.body());
				}
				return;
			}
			latencies.add(System.nanoTime() - s);
		}
		catch (Exception ex) {
			errors.incrementAndGet();
		}
	}

	static double pct(List<Long> sorted, int p) {
		if (sorted.isEmpty()) {
			return 0;
		}
		int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
		return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i))) / 1e6;
	}

	/** A noisy photo-sized JPEG (3000x2000) near 1 MB: noise keeps it from compressing to nothing. */
	static byte[] jpegAboutOneMegabyte() throws Exception {
		BufferedImage image = new BufferedImage(3000, 2000, BufferedImage.TYPE_INT_RGB);
		Graphics2D g = image.createGraphics();
		g.setPaint(new java.awt.GradientPaint(0, 0, Color.BLUE, 3000, 2000, Color.ORANGE));
		g.fillRect(0, 0, 3000, 2000);
		g.dispose();
		Random random = new Random(1);
		for (int y = 0; y < 2000; y += 1) {
			for (int x = 0; x < 3000; x += 1) {
				image.setRGB(x, y, image.getRGB(x, y) ^ (random.nextInt(24) * 0x010101));
			}
		}
		for (float q : new float[] { 0.95f, 0.9f, 0.85f, 0.8f, 0.75f, 0.7f, 0.6f, 0.5f, 0.4f, 0.3f, 0.2f }) {
			byte[] jpeg = encode(image, q);
			if (jpeg.length <= 1_150_000) {
				return jpeg;
			}
		}
		return encode(image, 0.1f);
	}

	static byte[] encode(BufferedImage image, float quality) throws Exception {
		ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		try (MemoryCacheImageOutputStream ios = new MemoryCacheImageOutputStream(out)) {
			writer.setOutput(ios);
			ImageWriteParam p = writer.getDefaultWriteParam();
			p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
			p.setCompressionQuality(quality);
			writer.write(null, new IIOImage(image, null, null), p);
		}
		writer.dispose();
		return out.toByteArray();
	}

	/** A valid-looking PDF of {@code size} bytes: the bulk is a comment of random letters. */
	static byte[] bigPdf(int size) {
		String head = "%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%";
		String tail = "\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n";
		byte[] b = new byte[size];
		Random random = new Random(2);
		for (int i = 0; i < size; i++) {
			b[i] = (byte) ('a' + random.nextInt(26));
		}
		System.arraycopy(head.getBytes(), 0, b, 0, head.length());
		System.arraycopy(tail.getBytes(), 0, b, size - tail.length(), tail.length());
		return b;
	}

}
