package dev.keel.database;

import java.util.concurrent.CompletableFuture;

import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.Environment;

/**
 * Starts the embedded PostgreSQL on a background thread as soon as the configuration is known, so
 * the server boots while Spring builds the context; {@link DatabaseEndpoints} later joins the same
 * start (one server per data directory per JVM). Does nothing when {@code DATABASE_URL} is set.
 */
class EmbeddedDatabasePrestart implements ApplicationListener<ApplicationEnvironmentPreparedEvent> {

	@Override
	public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
		Environment env = event.getEnvironment();
		String url = env.getProperty("keel.database.url");
		if (url != null && !url.isBlank()) {
			return;
		}
		String dir = env.getProperty("keel.database.embedded-dir", "./.keel/postgres");
		boolean clean = env.getProperty("keel.database.embedded-clean", Boolean.class, false);
		CompletableFuture.runAsync(() -> {
			try {
				EmbeddedDatabase.start(dir, clean);
			}
			catch (RuntimeException ex) {
				// Reported when the context asks for the database and the start is retried there.
			}
		}, (r) -> Thread.ofPlatform().daemon().name("keel-embedded-postgres").start(r));
	}

}
