"""Agent mode: the seed's Trae-style execution engine as pure code that AgentWorkflow calls.

models (request, limits, record), coordination (which tool calls run together), context (token
budget), completion (task_done vs claims in words), trajectory (metrics, compaction, export), progress
(the UI's Markdown).
"""
