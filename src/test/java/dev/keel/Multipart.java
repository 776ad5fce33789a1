package dev.keel;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** Builds {@code multipart/form-data} bodies for upload tests (file names sent as raw UTF-8, as browsers do). */
public final class Multipart {

	private final String boundary = "keel-" + UUID.randomUUID();

	private final ByteArrayOutputStream body = new ByteArrayOutputStream();

	public static Multipart file(String filename, String contentType, byte[] content) {
		return new Multipart().part("file", filename, contentType, content);
	}

	public Multipart field(String name, String value) {
		write("--" + this.boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value + "\r\n");
		return this;
	}

	public Multipart part(String name, String filename, String contentType, byte[] content) {
		write("--" + this.boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"; filename=\""
				+ filename.replace("\"", "%22") + "\"\r\n" + ((contentType != null) ? "Content-Type: " + contentType + "\r\n" : "") + "\r\n");
		this.body.writeBytes(content);
		write("\r\n");
		return this;
	}

	public String contentType() {
		return "multipart/form-data; boundary=" + this.boundary;
	}

	public byte[] body() {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		out.writeBytes(this.body.toByteArray());
		out.writeBytes(("--" + this.boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
		return out.toByteArray();
	}

	/** POSTs the body to {@code /api/files} with {@code http}'s token. */
	public Http.Response upload(Http http) {
		return http.send("POST", "/api/files", body(), contentType());
	}

	private void write(String s) {
		this.body.writeBytes(s.getBytes(StandardCharsets.UTF_8));
	}

}
