package dev.keel.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged {@code target/keel.jar} run the way an operator runs it: from an empty folder, as a
 * separate process, stopped with SIGTERM. Runs in Maven's integration-test phase, after package.
 */
class PackagedJarIT {

	private static final Path JAR = Path.of("target/keel.jar").toAbsolutePath();

	private static Process start(Path dir, Map<String, String> env, String... args) throws IOException {
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		String[] command = new String[args.length + 3];
		command[0] = java;
		command[1] = "-jar";
		command[2] = JAR.toString();
		System.arraycopy(args, 0, command, 3, args.length);
		ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile())
			.redirectOutput(dir.resolve("stdout.log").toFile()).redirectError(dir.resolve("stderr.log").toFile());
		pb.environment().keySet().removeIf((k) -> k.startsWith("DATABASE_") || k.equals("APP_ENV"));
		pb.environment().putAll(env);
		return pb.start();
	}

	@Test
	void refusesAWeakProductionConfigurationListingEveryProblemWithoutSecrets(@TempDir Path dir) throws Exception {
		Process p = start(dir, Map.of("APP_ENV", "prod", "JWT_SECRET", "weak-jwt-value", "CORS_ORIGINS", "*"));
		assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
		String err = Files.readString(dir.resolve("stderr.log"));
		assertThat(p.exitValue()).as(err).isEqualTo(3);
		assertThat(err).contains("JWT_SECRET", "SESSION_SECRET", "DATABASE_URL", "CORS_ORIGINS", "DATABASE_SSL_MODE")
			.doesNotContain("weak-jwt-value");
		assertThat(Files.exists(dir.resolve(".keel"))).as("nothing was started").isFalse();
	}

	@Test
	void startsFromAnEmptyFolderAndStopsGracefullyOnSigterm(@TempDir Path dir) throws Exception {
		int port;
		try (ServerSocket s = new ServerSocket(0)) {
			port = s.getLocalPort();
		}
		long t0 = System.nanoTime();
		Process p = start(dir, Map.of("PORT", Integer.toString(port), "SHUTDOWN_TIMEOUT", "15", "LOG_FORMAT", "json",
				"PASSWORD_HASH_COST", "4"));
		HttpClient client = HttpClient.newHttpClient();
		long upAfter = -1;
		while (System.nanoTime() - t0 < Duration.ofSeconds(90).toNanos()) {
			try {
				if (client.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/up")).build(),
						HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
					upAfter = (System.nanoTime() - t0) / 1_000_000;
					break;
				}
			}
			catch (IOException ex) {
				Thread.sleep(100);
			}
		}
		assertThat(upAfter).as(Files.readString(dir.resolve("stdout.log"))).isPositive();
		System.out.println("packaged jar answered /up after " + upAfter + " ms (first start, fresh embedded database)");
		assertThat(Files.isDirectory(dir.resolve(".keel/postgres"))).isTrue();

		CompletableFuture<HttpResponse<String>> slow = CompletableFuture.supplyAsync(() -> {
			try {
				return client.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/health")).build(),
						HttpResponse.BodyHandlers.ofString());
			}
			catch (Exception ex) {
				throw new IllegalStateException(ex);
			}
		});
		slow.get(30, TimeUnit.SECONDS);
		long stopAt = System.nanoTime();
		p.destroy(); // SIGTERM
		assertThat(p.waitFor(20, TimeUnit.SECONDS)).as("exits within SHUTDOWN_TIMEOUT").isTrue();
		System.out.println("packaged jar stopped " + (System.nanoTime() - stopAt) / 1_000_000 + " ms after SIGTERM");
		String stdout = Files.readString(dir.resolve("stdout.log"), StandardCharsets.UTF_8);
		assertThat(stdout).contains("\"message\":\"startup phase 5/5 http");
		assertThat(stdout.lines().filter((l) -> l.startsWith("{"))).allSatisfy((l) -> assertThat(l).endsWith("}"));
	}

}
