/** Rescoring and storage of assessments: bulk runs, the change-feed poller, history retention. */
@org.jspecify.annotations.NullMarked
package io.retain.scoring.rescoring;
