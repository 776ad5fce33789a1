package dev.keel.jobs;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.function.Consumer;

import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.keel.database.ConnectionSettings;

/**
 * Listens on {@value #CHANNEL} over its own connection (outside the pool: a LISTEN connection is held
 * for the life of the instance) and wakes the worker of each notified job type. Enqueue sends the
 * NOTIFY in its transaction, so a worker wakes only for committed jobs. If the connection drops, it
 * reconnects after a pause; until then the workers' polling fallback keeps jobs moving.
 */
class JobNotifications implements Runnable {

	static final String CHANNEL = "keel_jobs";

	private static final Logger log = LoggerFactory.getLogger(JobNotifications.class);

	private final ConnectionSettings settings;

	private final Consumer<String> wake;

	private volatile boolean running = true;

	private volatile Connection connection;

	JobNotifications(ConnectionSettings settings, Consumer<String> wake) {
		this.settings = settings;
		this.wake = wake;
	}

	@Override
	public void run() {
		while (this.running) {
			try (Connection c = connect()) {
				this.connection = c;
				try (Statement s = c.createStatement()) {
					s.execute("listen " + CHANNEL);
				}
				PGConnection pg = c.unwrap(PGConnection.class);
				while (this.running) {
					PGNotification[] notifications = pg.getNotifications(1_000);
					if (notifications != null) {
						for (PGNotification n : notifications) {
							this.wake.accept(n.getParameter());
						}
					}
				}
			}
			catch (SQLException | RuntimeException ex) {
				if (this.running) {
					log.warn("Job notification listener lost its connection ({}); polling until it reconnects", ex.getMessage());
					sleep(1_000);
				}
			}
		}
	}

	private Connection connect() throws SQLException {
		Properties p = new Properties();
		if (this.settings.user() != null) {
			p.setProperty("user", this.settings.user());
		}
		if (this.settings.password() != null) {
			p.setProperty("password", this.settings.password());
		}
		p.setProperty("ApplicationName", "keel-jobs-listener");
		p.setProperty("tcpKeepAlive", "true");
		p.setProperty("connectTimeout", "5");
		return DriverManager.getConnection(this.settings.jdbcUrl(), p);
	}

	/** Arms the listener for another {@link #run()} after a {@link #stop()} (a restarted context). */
	void reset() {
		this.running = true;
	}

	void stop() {
		this.running = false;
		Connection c = this.connection;
		if (c != null) {
			try {
				c.close();
			}
			catch (SQLException ex) {
				// Closing anyway.
			}
		}
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
