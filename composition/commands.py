"""The command table: every slash command once, with its German name, English alias, handler,
where it belongs and the least role whose menu lists it. `application.register` registers the
rows in this order; handlers/menus.py builds every menu from the registered rows in the same order
(the private menu lists the PRIVATE and ANYWHERE rows of the person's role, the groups' menu the
GROUP and ANYWHERE rows)."""

from __future__ import annotations

from handlers import dialogs, help
from handlers.broadcasts import compose as broadcast
from handlers.events import listing as event_list
from handlers.events import new as event_new
from handlers.membership import (
    factions,
    group_gate,
    groups,
    invite,
    language,
    members,
    privacy,
    profile,
    start,
)
from handlers.menus import Command, Scope
from handlers.operations import status
from handlers.questions import ask as question_ask
from handlers.questions import board as question_board
from handlers.questions import mine as question_mine
from handlers.reminders import create as reminders
from handlers.reminders import listing as reminder_list
from lag_bot.models import Role

PRIVATE, GROUP, ANYWHERE = Scope.PRIVATE, Scope.GROUP, Scope.ANYWHERE

COMMANDS = [
    Command("start", "start", start.cmd_start, PRIVATE),
    Command("verbinden", "link", groups.cmd_verbinden, GROUP),
    Command("gruppe", "group", group_gate.cmd_gruppe, GROUP),
    Command("hilfe", "help", help.cmd_hilfe, ANYWHERE),
    Command("profil", "profile", profile.cmd_profil, PRIVATE, Role.MEMBER),
    Command("sprache", "language", language.cmd_sprache, PRIVATE),
    Command("datenschutz", "privacy", privacy.cmd_datenschutz, PRIVATE),
    Command("meinedaten", "mydata", privacy.cmd_meinedaten, PRIVATE, Role.MEMBER),
    Command("austreten", "leave", privacy.cmd_austreten, PRIVATE),
    Command("abbrechen", "cancel", dialogs.cmd_abbrechen, PRIVATE),
    Command("termine", "events", event_list.cmd_termine, ANYWHERE, Role.MEMBER),
    Command("erinnerung", "remind", reminders.cmd_erinnerung, ANYWHERE, Role.MEMBER),
    Command("erinnerungen", "reminders", reminder_list.cmd_erinnerungen, ANYWHERE, Role.MEMBER),
    Command("frage", "ask", question_ask.cmd_frage, PRIVATE, Role.MEMBER),
    Command("meinefragen", "myquestions", question_mine.cmd_meinefragen, PRIVATE, Role.MEMBER),
    Command("mitglieder", "members", members.cmd_mitglieder, PRIVATE, Role.COORDINATOR),
    Command("einladen", "invite", invite.cmd_einladen, PRIVATE, Role.COORDINATOR),
    Command("rundschreiben", "broadcast", broadcast.cmd_rundschreiben, PRIVATE, Role.COORDINATOR),
    Command("neuertermin", "newevent", event_new.cmd_neuertermin, PRIVATE, Role.COORDINATOR),
    Command("fraktionen", "factions", factions.cmd_fraktionen, PRIVATE, Role.COORDINATOR),
    Command("statistik", "stats", question_board.cmd_statistik, PRIVATE, Role.COORDINATOR),
    Command("status", "status", status.cmd_status, PRIVATE, Role.ADMIN),
]
