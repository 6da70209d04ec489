"""Supervision: the team week view, reviews, RAG and category changes, pauses, exports."""
