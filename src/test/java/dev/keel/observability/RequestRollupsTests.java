package dev.keel.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class RequestRollupsTests {

	@Test
	void bucketsKeepAboutFourPercentResolution() {
		for (double ms : new double[] { 0.3, 1, 7.5, 20, 180, 2_500, 45_000 }) {
			double upper = RequestRollups.upperBound(RequestRollups.bucket(ms));
			assertThat(upper).isGreaterThanOrEqualTo(ms * 0.999).isLessThanOrEqualTo(ms * 1.05);
		}
	}

	@Test
	void tinyAndHugeDurationsStayInRange() {
		assertThat(RequestRollups.bucket(0.0001)).isEqualTo(1);
		assertThat(RequestRollups.upperBound(RequestRollups.bucket(10_000_000))).isCloseTo(RequestRollups.upperBound(419), within(1e-6));
	}

}
