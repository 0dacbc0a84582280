package io.retain.retention.campaign;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Deterministic holdout assignment, so reruns and other nodes agree: the bucket is the first 8
 * bytes of SHA-256(UTF-8 of campaignId + ":" + customerId), big-endian, unsigned, mod 10000; a
 * customer is held out when the bucket is below round(share × 10000).
 */
public final class Holdout {

  private Holdout() {}

  /** Whether the customer is in the campaign's holdout group; {@code share} is 0..0.5. */
  public static boolean inHoldout(String campaignId, String customerId, double share) {
    if (share < 0 || share > 0.5) {
      throw new IllegalArgumentException("holdout share must be 0..0.5, was " + share);
    }
    return bucket(campaignId, customerId) < Math.round(share * 10_000);
  }

  /** The customer's bucket 0..9999 for this campaign. */
  static long bucket(String campaignId, String customerId) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest((campaignId + ":" + customerId).getBytes(StandardCharsets.UTF_8));
      return Long.remainderUnsigned(ByteBuffer.wrap(digest).getLong(), 10_000);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
