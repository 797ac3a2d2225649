"""Customer reviews of products: submission, spam handling, display and moderation."""
