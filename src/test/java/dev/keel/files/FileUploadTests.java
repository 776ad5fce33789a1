package dev.keel.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;

import dev.keel.Http;
import dev.keel.KeelTest;
import dev.keel.Multipart;
import dev.keel.TestTenants;
import dev.keel.storage.Digests;
import dev.keel.storage.ObjectInfo;
import dev.keel.storage.ObjectStore;
import dev.keel.tenancy.TenantScope;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Uploads end to end (scanning off, image optimisation on): the corpus of good files is stored, every
 * bad one is refused with its rule and leaves nothing in storage or in {@code files}.
 */
@KeelTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FileUploadTests {

	/** FileStored events, from whichever thread (request or job worker) published them. */
	final List<FileStored> stored = new java.util.concurrent.CopyOnWriteArrayList<>();

	@Autowired
	org.springframework.context.ConfigurableApplicationContext context;

	static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	@LocalServerPort
	int port;

	@Autowired
	ObjectStore store;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	TransactionTemplate tx;

	TestTenants.TestTenant tenant;

	@BeforeAll
	void tenant() {
		this.tenant = TestTenants.create(this.port, "files");
		this.context.addApplicationListener((org.springframework.context.ApplicationListener<org.springframework.context.PayloadApplicationEvent<FileStored>>)
				(e) -> this.stored.add(e.getPayload()));
	}

	@Test
	void eachAllowedTypeIsAcceptedAndImagesAreProcessedAfterTheRequest() {
		record Good(String name, String type, byte[] content, boolean image) {
		}
		List<Good> corpus = List.of(new Good("photo.jpg", "image/jpeg", TestFiles.jpeg(3000, 1500), true),
				new Good("logo.png", "image/png", TestFiles.png(300, 300), true), new Good("pixel.webp", "image/webp", TestFiles.webp(), true),
				new Good("report.pdf", "application/pdf", TestFiles.pdf(), false),
				new Good("sheet.xlsx", FileType.XLSX.mediaType(), TestFiles.xlsx(), false));
		for (Good good : corpus) {
			Http.Response r = Multipart.file(good.name(), good.type(), good.content()).field("category", "docs").upload(http());
			assertThat(r.status()).as(good.name() + ": " + r.body()).isEqualTo(201);
			JsonNode f = r.json();
			assertThat(f.get("filename").asString()).isEqualTo(good.name());
			assertThat(f.get("contentType").asString()).isEqualTo(good.type());
			assertThat(f.get("sizeBytes").asLong()).isEqualTo(good.content().length);
			assertThat(f.get("sha256").asString()).isEqualTo(Digests.hex(Digests.sha256().digest(good.content())));
			assertThat(f.get("status").asString()).isEqualTo(good.image() ? "processing" : "stored");
			assertThat(f.get("url").asString()).isEqualTo("/api/files/" + f.get("id").asString() + "/content");
			assertThat(r.header("Location")).isEqualTo("/api/files/" + f.get("id").asString());
			String id = f.get("id").asString();
			JsonNode done = awaitStatus(id, "stored");
			if (good.image()) {
				assertThat(done.get("thumbnailUrl").asString()).isEqualTo("/api/files/" + id + "/thumbnail");
				assertThat(done.get("processedAt")).isNotNull();
			}
			if (good.name().endsWith(".webp")) {
				// Re-encoded (decision 0401): the record and the download name follow the new format.
				assertThat(done.get("contentType").asString()).isIn("image/png", "image/jpeg");
				String extension = done.get("contentType").asString().equals("image/png") ? ".png" : ".jpg";
				assertThat(done.get("filename").asString()).isEqualTo("pixel" + extension);
				HttpResponse<byte[]> content = download("/api/files/" + id + "/content", this.tenant.token());
				assertThat(content.headers().firstValue("Content-Type").orElseThrow()).isEqualTo(done.get("contentType").asString());
				assertThat(content.headers().firstValue("Content-Disposition").orElseThrow()).contains("filename=\"pixel" + extension + "\"");
			}
			if (good.name().equals("photo.jpg")) {
				assertThat(done.get("sizeBytes").asLong()).as("bounded to 2048 px and re-encoded").isNotEqualTo(good.content().length);
				byte[] thumb = download("/api/files/" + id + "/thumbnail", this.tenant.token()).body();
				assertThat(imageWidth(thumb)).isEqualTo(200);
				assertThat(imageWidth(download("/api/files/" + id + "/content", this.tenant.token()).body())).isEqualTo(2048);
			}
			if (!good.image()) {
				HttpResponse<byte[]> content = download("/api/files/" + id + "/content", this.tenant.token());
				assertThat(content.statusCode()).isEqualTo(200);
				assertThat(content.body()).isEqualTo(good.content());
				assertThat(content.headers().firstValue("Content-Type").orElseThrow()).isEqualTo(good.type());
				assertThat(content.headers().firstValue("Content-Disposition").orElseThrow()).startsWith("attachment; filename=\"");
				assertThat(content.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
				assertThat(content.headers().firstValue("Cache-Control").orElseThrow()).contains("no-store").contains("private");
			}
			assertThat(objects(this.tenant)).anySatisfy((o) -> assertThat(o.key())
				.startsWith("tenants/" + this.tenant.id() + "/docs/" + id + "/"));
			await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(this.stored)
				.anySatisfy((e) -> assertThat(e.fileId().toString()).isEqualTo(id)));
		}
	}

	@Test
	void badFilesAreRefusedWithTheirRuleAndLeaveNothingBehind() {
		TestTenants.TestTenant t = TestTenants.create(this.port, "files-bad");
		record Bad(String name, String type, byte[] content, int status, String rule) {
		}
		List<Bad> corpus = List.of(new Bad("cat.png", "image/png", TestFiles.elf(), 400, "content-allowed"),
				new Bad("setup.png", "image/png", TestFiles.windowsExe(), 400, "content-allowed"),
				new Bad("invoice.png", "image/png", TestFiles.pdf(), 400, "content-extension"),
				new Bad("invoice.pdf", "image/png", TestFiles.pdf(), 400, "content-declared"),
				new Bad("photo.jpg", "image/jpeg", TestFiles.png(8, 8), 400, "content-extension"),
				new Bad("gifar.png", "image/png", TestFiles.pngWithZip(), 400, "polyglot"),
				new Bad("xss.jpg", "image/jpeg", TestFiles.jpegWithScript(), 400, "polyglot"),
				new Bad("bomb.xlsx", FileType.XLSX.mediaType(), TestFiles.xlsxBomb(60), 400, "zip-bomb"),
				new Bad("notes.xlsx", FileType.XLSX.mediaType(), TestFiles.plainZip(), 400, "xlsx-workbook"),
				new Bad("../../../etc/passwd.png", "image/png", TestFiles.png(8, 8), 400, "name-path"),
				new Bad("..\\..\\win.ini.png", "image/png", TestFiles.png(8, 8), 400, "name-path"),
				new Bad("bell\u0007\u0001.png", "image/png", TestFiles.png(8, 8), 400, "name-control"),
				new Bad("NUL.png", "image/png", TestFiles.png(8, 8), 400, "name-reserved"),
				new Bad("empty.pdf", "application/pdf", new byte[0], 400, "not-empty"),
				new Bad("huge.png", "image/png", TestFiles.pngSized(10 * 1024 * 1024 + 1), 413, "max-size-type"));
		for (Bad bad : corpus) {
			Http.Response r = Multipart.file(bad.name(), bad.type(), bad.content()).upload(t.http(this.port));
			assertThat(r.status()).as(bad.name() + ": " + r.body()).isEqualTo(bad.status());
			assertThat(r.header("Content-Type")).startsWith("application/problem+json");
			assertThat(r.json().get("errors").valueStream().map((e) -> e.get("rule").asString()).toList()).as(bad.name()).contains(bad.rule());
			assertThat(r.json().get("type").asString()).endsWith(bad.status() == 413 ? "/upload-too-large" : "/upload-rejected");
		}
		Http.Response missing = t.http(this.port).send("POST", "/api/files", new Multipart().field("category", "x").body(),
				"multipart/form-data; boundary=none");
		assertThat(missing.status()).isBetween(400, 499);
		assertThat(objects(t)).as("objects of the tenant").isEmpty();
		assertThat(rows(t)).as("rows of the tenant").isZero();
		assertThat(t.http(this.port).get("/api/audit?action=file.rejected&limit=100").json().get("items").size()).isEqualTo(corpus.size());
		assertThat(t.http(this.port).get("/api/files/usage").json().get("bytes").asLong()).isZero();
		String metrics = new Http(this.port).as(dev.keel.TestAdmin.METRICS_TOKEN).get("/metrics").body();
		assertThat(metrics).contains("file_rejections_total{rule=\"zip-bomb\"}", "file_rejections_total{rule=\"polyglot\"}",
				"file_rejections_total{rule=\"name-path\"}", "file_uploads_total{status=\"rejected\"}");
	}

	@Test
	void aFileBeyondTheUploadLimitIsRefusedWhileStreaming() throws Exception {
		TestTenants.TestTenant t = TestTenants.create(this.port, "files-big");
		byte[] pdf = TestFiles.pdf();
		byte[] big = TestFiles.concat(pdf, new byte[25 * 1024 * 1024 + 100 * 1024]);
		Multipart body = Multipart.file("big.pdf", "application/pdf", big);
		// Chunked, so no Content-Length warns the server: the part is counted as it streams to disk.
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + "/api/files"))
			.header("Authorization", "Bearer " + t.token()).header("Content-Type", body.contentType())
			.POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body.body()))).build();
		HttpResponse<String> r = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
		assertThat(r.statusCode()).as(r.body()).isEqualTo(413);
		assertThat(r.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
		JsonNode problem = Http.JSON.readTree(r.body());
		assertThat(problem.get("type").asString()).endsWith("/upload-too-large");
		assertThat(problem.get("errors").get(0).get("rule").asString()).isEqualTo("max-size");
		// With a declared Content-Length the container refuses on the length alone: a client that asked
		// with Expect: 100-continue gets the 413 right after the interim 100, without sending the body.
		try (java.net.Socket socket = new java.net.Socket("localhost", this.port)) {
			socket.setSoTimeout(10_000);
			String head = "POST /api/files HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + t.token() + "\r\nContent-Type: "
					+ body.contentType() + "\r\nContent-Length: " + body.body().length + "\r\nExpect: 100-continue\r\n\r\n";
			socket.getOutputStream().write(head.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
			socket.getOutputStream().flush();
			String response = new String(socket.getInputStream().readNBytes(4096), java.nio.charset.StandardCharsets.UTF_8);
			assertThat(response).contains("HTTP/1.1 413").contains("application/problem+json").contains("\"rule\":\"max-size\"");
		}
		assertThat(t.http(this.port).get("/api/audit?action=file.rejected").json().get("items").size()).isEqualTo(2);
		assertThat(objects(t)).isEmpty();
		assertThat(rows(t)).isZero();
	}

	@Test
	void aCorruptImageIsRejectedByTheJobWithItsReasonAndNotRetried() {
		Http.Response r = Multipart.file("broken.jpg", "image/jpeg", TestFiles.corruptJpeg()).upload(http());
		assertThat(r.status()).as(r.body()).isEqualTo(201);
		String id = r.json().get("id").asString();
		JsonNode rejected = awaitStatus(id, "rejected");
		assertThat(rejected.get("rejectionReason").asString()).startsWith("image-decode");
		assertThat(rejected.get("url").isNull()).isTrue();
		assertThat(objects(this.tenant)).noneSatisfy((o) -> assertThat(o.key()).contains(id));
		for (String path : List.of("/content", "/thumbnail", "/signed-url")) {
			Http.Response refused = http().get("/api/files/" + id + path);
			assertThat(refused.status()).as(path).isEqualTo(409);
			assertThat(refused.json().get("type").asString()).endsWith("/file-not-ready");
			assertThat(refused.json().get("status").asString()).isEqualTo("rejected");
		}
		List<String> states = this.jdbc.sql("select state || ':' || attempt from jobs where name = 'file-process' and data->>'fileId' = ?")
			.param(id).query(String.class).list();
		assertThat(states).containsExactly("completed:1");
	}

	@Test
	void aPhotoWithExifOrientationAndGpsIsStoredWithoutThatMetadata() throws Exception {
		byte[] photo = TestFiles.jpegWithExif(640, 480);
		assertThat(new String(photo, java.nio.charset.StandardCharsets.ISO_8859_1)).contains("Exif");
		Http.Response r = Multipart.file("holiday.jpg", "image/jpeg", photo).upload(http());
		assertThat(r.status()).as(r.body()).isEqualTo(201);
		String id = r.json().get("id").asString();
		assertThat(awaitStatus(id, "stored").get("thumbnailUrl").isNull()).isFalse();
		byte[] stored = download("/api/files/" + id + "/content", this.tenant.token()).body();
		assertThat(new String(stored, java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain("Exif");
		assertThat(TestImages.jpegMarkers(stored)).as("no APP1 (EXIF/GPS/XMP) segment").doesNotContain(0xE1);
		java.awt.image.BufferedImage upright = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(stored));
		assertThat(upright.getWidth()).as("orientation 6 turned the 640x480 photo upright").isEqualTo(480);
		assertThat(upright.getHeight()).isEqualTo(640);
	}

	@Test
	void deletingAFileRemovesItsObjectsAndReleasesItsUsage() {
		TestTenants.TestTenant t = TestTenants.create(this.port, "files-del");
		Http.Response r = Multipart.file("a.pdf", "application/pdf", TestFiles.pdf()).upload(t.http(this.port));
		String id = r.json().get("id").asString();
		assertThat(t.http(this.port).get("/api/files/usage").json().get("bytes").asLong()).isEqualTo(TestFiles.pdf().length);
		assertThat(t.http(this.port).delete("/api/files/" + id).status()).isEqualTo(204);
		assertThat(t.http(this.port).get("/api/files/" + id).status()).isEqualTo(404);
		assertThat(objects(t)).isEmpty();
		assertThat(t.http(this.port).get("/api/files/usage").json().get("bytes").asLong()).isZero();
		assertThat(t.http(this.port).get("/api/audit?action=file.deleted").json().get("items").size()).isEqualTo(1);
	}

	@Test
	void listsArePagedNewestFirstAndFiltered() {
		TestTenants.TestTenant t = TestTenants.create(this.port, "files-list");
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			ids.add(Multipart.file("doc" + i + ".pdf", "application/pdf", TestFiles.pdf()).field("category", (i == 0) ? "a" : "b")
				.upload(t.http(this.port)).json().get("id").asString());
		}
		JsonNode first = t.http(this.port).get("/api/files?limit=2").json();
		assertThat(first.get("items").valueStream().map((f) -> f.get("id").asString()).toList()).containsExactly(ids.get(2), ids.get(1));
		JsonNode second = t.http(this.port).get("/api/files?limit=2&cursor=" + first.get("nextCursor").asString()).json();
		assertThat(second.get("items").valueStream().map((f) -> f.get("id").asString()).toList()).containsExactly(ids.get(0));
		assertThat(t.http(this.port).get("/api/files?category=a").json().get("items").size()).isEqualTo(1);
		assertThat(t.http(this.port).get("/api/files?status=processing").json().get("items").size()).isZero();
		assertThat(t.http(this.port).get("/api/files?limit=0").status()).isEqualTo(400);
	}

	Http http() {
		return this.tenant.http(this.port);
	}

	/** For other test classes that reuse the helpers below. */
	FileUploadTests withPort(int port) {
		this.port = port;
		return this;
	}

	JsonNode awaitStatus(String id, String status) {
		JsonNode[] last = new JsonNode[1];
		await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
			last[0] = http().get("/api/files/" + id).json();
			assertThat(last[0].get("status").asString()).isEqualTo(status);
		});
		return last[0];
	}

	HttpResponse<byte[]> download(String path, String token) {
		HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(path.startsWith("http") ? path : "http://localhost:" + this.port + path));
		if (token != null) {
			b.header("Authorization", "Bearer " + token);
		}
		try {
			return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
		}
		catch (IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	List<ObjectInfo> objects(TestTenants.TestTenant t) {
		try (Stream<ObjectInfo> s = this.store.list("tenants/" + t.id() + "/")) {
			return s.toList();
		}
		catch (IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}

	long rows(TestTenants.TestTenant t) {
		return TenantScope.call(t.id(), () -> this.tx.execute((s) -> this.jdbc.sql("select count(*) from files").query(Long.class).single()));
	}

	static int imageWidth(byte[] image) {
		try {
			return javax.imageio.ImageIO.read(new ByteArrayInputStream(image)).getWidth();
		}
		catch (IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}

}
