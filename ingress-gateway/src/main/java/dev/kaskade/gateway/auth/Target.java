package dev.kaskade.gateway.auth;

/**
 * What one call needs permission for.
 *
 * @param verb what it does
 * @param namespace the namespace it addresses
 * @param model the model it names, or null when it names none (a list of a namespace's models)
 */
public record Target(Verb verb, String namespace, String model) {}
