package dev.keel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A small HTTP client for full-stack tests: JSON in, status/headers/JSON out, optional bearer token
 * and extra headers. Immutable: {@link #as} and {@link #header} return a new client.
 */
public final class Http {

	public static final JsonMapper JSON = JsonMapper.builder().build();

	private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	private final int port;

	private final Map<String, String> headers;

	public Http(int port) {
		this(port, Map.of());
	}

	private Http(int port, Map<String, String> headers) {
		this.port = port;
		this.headers = headers;
	}

	public Http as(String bearerToken) {
		return header("Authorization", "Bearer " + bearerToken);
	}

	public Http header(String name, String value) {
		Map<String, String> copy = new LinkedHashMap<>(this.headers);
		copy.put(name, value);
		return new Http(this.port, copy);
	}

	public Response get(String path) {
		return send("GET", path, null, null);
	}

	public Response delete(String path) {
		return send("DELETE", path, null, null);
	}

	public Response post(String path, Object body) {
		return send("POST", path, body, "application/json");
	}

	public Response patch(String path, Object body) {
		return send("PATCH", path, body, "application/json");
	}

	public Response send(String method, String path, Object body, String contentType) {
		HttpRequest.BodyPublisher publisher;
		if (body == null) {
			publisher = HttpRequest.BodyPublishers.noBody();
		}
		else if (body instanceof String s) {
			publisher = HttpRequest.BodyPublishers.ofString(s);
		}
		else if (body instanceof byte[] b) {
			publisher = HttpRequest.BodyPublishers.ofByteArray(b);
		}
		else {
			publisher = HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body));
		}
		HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path)).method(method, publisher);
		if (contentType != null && body != null) {
			builder.header("Content-Type", contentType);
		}
		this.headers.forEach(builder::header);
		try {
			HttpResponse<String> response = CLIENT.send(builder.build(), HttpResponse.BodyHandlers.ofString());
			return new Response(response.statusCode(), response.headers(), response.body());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/** A response: status, headers and body. */
	public record Response(int status, HttpHeaders headers, String body) {

		public JsonNode json() {
			return JSON.readTree(this.body);
		}

		public String header(String name) {
			return this.headers.firstValue(name).orElse(null);
		}

		@Override
		public String toString() {
			return this.status + " " + this.body;
		}

	}

}
