package dev.keel.observability;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.concurrent.locks.ReentrantLock;

import dev.keel.database.ConnectionSettings;

/**
 * The health check's own connection to the database, outside the pool: a probe must neither wait
 * behind a saturated pool nor sit in the pool's connection retry loop when the server is gone. A
 * failed probe drops the connection; the next one reconnects with a one-second connect timeout, so a
 * lost server is seen on the next round and a returning one as soon as it accepts connections.
 */
class DatabaseProbe implements AutoCloseable {

	private final ConnectionSettings settings;

	private final ReentrantLock lock = new ReentrantLock();

	private Connection connection;

	DatabaseProbe(ConnectionSettings settings) {
		this.settings = settings;
	}

	/** Runs {@code select 1}; throws when the database cannot be reached within about two seconds. */
	void ping() throws SQLException {
		this.lock.lock();
		try {
			if (this.connection == null || this.connection.isClosed()) {
				Properties p = new Properties();
				if (this.settings.user() != null) {
					p.setProperty("user", this.settings.user());
				}
				if (this.settings.password() != null) {
					p.setProperty("password", this.settings.password());
				}
				p.setProperty("connectTimeout", "1");
				p.setProperty("socketTimeout", "2");
				p.setProperty("ApplicationName", "keel-health");
				this.connection = DriverManager.getConnection(this.settings.jdbcUrl(), p);
			}
			try (Statement s = this.connection.createStatement()) {
				s.setQueryTimeout(2);
				s.execute("select 1");
			}
		}
		catch (SQLException ex) {
			closeQuietly();
			throw ex;
		}
		finally {
			this.lock.unlock();
		}
	}

	private void closeQuietly() {
		try {
			if (this.connection != null) {
				this.connection.close();
			}
		}
		catch (SQLException ignored) {
			// The connection is already broken.
		}
		this.connection = null;
	}

	@Override
	public void close() {
		this.lock.lock();
		try {
			closeQuietly();
		}
		finally {
			this.lock.unlock();
		}
	}

}
