package dev.keel.observability;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;

import dev.keel.database.DatabaseEndpoints;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The checks Keel always has: database (critical) and memory (storage contributes its own). */
@Configuration(proxyBeanMethods = false)
class StandardHealthChecks {

	@Bean(destroyMethod = "close")
	DatabaseProbe databaseProbe(DatabaseEndpoints endpoints) {
		return new DatabaseProbe(endpoints.app());
	}

	@Bean
	HealthCheck databaseHealthCheck(HikariDataSource dataSource, DatabaseProbe probe) {
		return new HealthCheck() {
			@Override
			public String name() {
				return "database";
			}

			@Override
			public boolean critical() {
				return true;
			}

			@Override
			public Result check() throws Exception {
				long t0 = System.nanoTime();
				probe.ping();
				Map<String, Object> d = new LinkedHashMap<>();
				d.put("latencyMs", (System.nanoTime() - t0) / 1_000_000);
				d.put("connectionPool", pool(dataSource));
				return Result.up(d);
			}
		};
	}

	static Map<String, Object> pool(HikariDataSource dataSource) {
		Map<String, Object> p = new LinkedHashMap<>();
		HikariPoolMXBean bean = dataSource.getHikariPoolMXBean();
		p.put("active", (bean != null) ? bean.getActiveConnections() : 0);
		p.put("idle", (bean != null) ? bean.getIdleConnections() : 0);
		p.put("max", dataSource.getMaximumPoolSize());
		p.put("waiting", (bean != null) ? bean.getThreadsAwaitingConnection() : 0);
		return p;
	}

	@Bean
	HealthCheck memoryHealthCheck() {
		return new HealthCheck() {
			@Override
			public String name() {
				return "memory";
			}

			@Override
			public Result check() {
				Map<String, Object> d = memory();
				return ((long) d.get("percentUsed") >= 90) ? Result.degraded(d) : Result.up(d);
			}
		};
	}

	static Map<String, Object> memory() {
		MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
		long max = (heap.getMax() > 0) ? heap.getMax() : heap.getCommitted();
		Map<String, Object> d = new LinkedHashMap<>();
		d.put("heapUsedMB", heap.getUsed() / (1024 * 1024));
		d.put("heapTotalMB", heap.getCommitted() / (1024 * 1024));
		d.put("heapMaxMB", max / (1024 * 1024));
		d.put("rssMB", rssMegabytes());
		d.put("percentUsed", Math.round(100.0 * heap.getUsed() / max));
		return d;
	}

	private static long rssMegabytes() {
		try {
			for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
				if (line.startsWith("VmRSS:")) {
					return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
				}
			}
		}
		catch (IOException | RuntimeException ex) {
			// Not Linux: fall back to committed memory below.
		}
		return (Runtime.getRuntime().totalMemory()) / (1024 * 1024);
	}

}
