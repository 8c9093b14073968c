package dev.chorus.ingest.validation;

import dev.chorus.avro.ReasonCode;

/**
 * Why a row or submission was not accepted.
 *
 * @param field the column header (uploads) or JSON pointer (API) of the offending value, or null
 */
public record Rejection(ReasonCode code, String field, String message) {}
