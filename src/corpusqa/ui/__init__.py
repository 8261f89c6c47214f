"""The Gradio chat: a thin front end over answer()."""
