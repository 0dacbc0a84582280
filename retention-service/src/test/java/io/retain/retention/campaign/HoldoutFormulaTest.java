package io.retain.retention.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Holdout membership re-derived from the formula in the README, independently of {@link Holdout}:
 * bucket = the first 8 bytes of SHA-256(UTF-8 of campaignId + ":" + customerId), read big-endian as
 * an unsigned 64-bit integer, mod 10000; held out iff bucket &lt; round(share × 10000).
 */
class HoldoutFormulaTest {

  static final String[] CAMPAIGNS = {"CAMP-2026-07-WINBACK", "c-1", "客户挽留"};
  static final double[] SHARES = {0.0, 0.05, 0.2, 0.333, 0.5};

  static long documentedBucket(String campaignId, String customerId) throws Exception {
    byte[] digest =
        MessageDigest.getInstance("SHA-256")
            .digest((campaignId + ":" + customerId).getBytes(StandardCharsets.UTF_8));
    return new BigInteger(1, Arrays.copyOf(digest, 8)).mod(BigInteger.valueOf(10_000)).longValue();
  }

  @Test
  void membershipFollowsTheDocumentedFormula() throws Exception {
    int held = 0;
    int checked = 0;
    for (String campaign : CAMPAIGNS) {
      for (int i = 1; i <= 300; i++) {
        String customer = "C%07d".formatted(i);
        long bucket = documentedBucket(campaign, customer);
        assertThat(Holdout.bucket(campaign, customer)).as(customer).isEqualTo(bucket);
        for (double share : SHARES) {
          boolean expected = bucket < Math.round(share * 10_000);
          assertThat(Holdout.inHoldout(campaign, customer, share))
              .as("%s %s %s", campaign, customer, share)
              .isEqualTo(expected);
          held += expected ? 1 : 0;
          checked++;
        }
      }
    }
    assertThat(checked).isEqualTo(3 * 300 * 5);
    // the check is not vacuous: both outcomes occur
    assertThat(held).isBetween(1, checked - 1);
  }

  @Test
  void theWholeDigestModTenThousandIsADifferentFormula() throws Exception {
    // what the README used to say; it disagrees with the code for most ids
    int differing = 0;
    for (int i = 1; i <= 300; i++) {
      String customer = "C%07d".formatted(i);
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(("c-1:" + customer).getBytes(StandardCharsets.UTF_8));
      long whole = new BigInteger(1, digest).mod(BigInteger.valueOf(10_000)).longValue();
      differing += whole == Holdout.bucket("c-1", customer) ? 0 : 1;
    }
    assertThat(differing).isGreaterThan(250);
  }
}
