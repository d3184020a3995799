from django.contrib.auth.decorators import login_required
from django.shortcuts import render


@login_required
def home(request):
    """The signed-in user's home: who they are; role pages build on this."""
    return render(request, "home.html", {"user_obj": request.user})
