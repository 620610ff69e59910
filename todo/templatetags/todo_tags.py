from django import template

register = template.Library()


@register.filter
def task_status(task, today):
    """'overdue', 'soon' or '' (a TaskItem's status on `today`)."""
    return task.status(today)
