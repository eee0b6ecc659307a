package dev.parley.server.chat;

import java.util.Optional;

/**
 * A message to store.
 *
 * @param roomId the room
 * @param user the sender
 * @param text the text as sent
 * @param clientMsgId the sender's id for this send; a retry with the same id stores nothing new
 * @param kind text or notice
 */
public record NewMessage(long roomId, User user, String text, Optional<String> clientMsgId, Message.Kind kind) {}
