package dev.parley.server.chat;

/**
 * A user in a room, with its role there.
 *
 * @param user the user
 * @param role its role in the room
 */
public record Member(User user, RoomRole role) {}
