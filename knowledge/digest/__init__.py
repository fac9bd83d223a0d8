"""What leaders see: daily digests, the chart, the board (and its sign-in), chats."""
