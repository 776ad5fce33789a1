package dev.keel.web;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import javax.sql.DataSource;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;

/**
 * Token buckets by key, with Bucket4j. {@link Local} keeps them in this process; {@link Postgres}
 * keeps them in {@code rate_limit_buckets} (row locked per consume) so every instance enforces
 * one shared limit.
 */
interface RateLimiter {

	/** Takes one token from {@code key}'s bucket ({@code limit} per {@code window}). */
	ConsumptionProbe tryConsume(String key, long limit, Duration window);

	static BucketConfiguration configuration(long limit, Duration window) {
		return BucketConfiguration.builder().addLimit(Bandwidth.builder().capacity(limit).refillGreedy(limit, window).build()).build();
	}

	/** In-process buckets; bounded so a flood of distinct client addresses cannot exhaust memory. */
	final class Local implements RateLimiter {

		private static final int MAX_KEYS = 100_000;

		private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

		@Override
		public ConsumptionProbe tryConsume(String key, long limit, Duration window) {
			if (this.buckets.size() > MAX_KEYS) {
				this.buckets.clear();
			}
			return this.buckets.computeIfAbsent(key + "|" + limit + "|" + window.toMillis(),
					(k) -> Bucket.builder().addLimit(Bandwidth.builder().capacity(limit).refillGreedy(limit, window).build()).build())
				.tryConsumeAndReturnRemaining(1);
		}

	}

	/** Buckets shared through PostgreSQL (bucket4j-postgresql, {@code SELECT ... FOR UPDATE} per consume). */
	final class Postgres implements RateLimiter {

		private final ProxyManager<String> proxies;

		Postgres(DataSource dataSource) {
			this.proxies = Bucket4jPostgreSQL.selectForUpdateBasedBuilder(dataSource)
				.primaryKeyMapper(PrimaryKeyMapper.STRING)
				.table("rate_limit_buckets")
				.idColumn("id")
				.stateColumn("state")
				.expiresAtColumn("expires_at")
				.expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ofMinutes(1)))
				.build();
		}

		@Override
		public ConsumptionProbe tryConsume(String key, long limit, Duration window) {
			return this.proxies.builder().build(key + "|" + limit + "|" + window.toMillis(), () -> configuration(limit, window))
				.tryConsumeAndReturnRemaining(1);
		}

	}

}
